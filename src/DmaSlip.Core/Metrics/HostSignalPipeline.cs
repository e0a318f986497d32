using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Metrics;

/// <summary>
/// The one path from a host's frames to its regime (the fleet agent, <c>controller replay</c>, the drills and the
/// simulator's controller policy all run this): window close → worst queue → baseline → storm recurrence →
/// <see cref="RegimeSignals"/> → <see cref="RegimeController"/>.
/// <list type="number">
/// <item>A window is all frames of one window start (one per device queue); <see cref="WindowAssembler"/> closes
/// windows from a frame stream.</item>
/// <item>Worst queue: each signal is the maximum over the window's queues (DFI, DJS and PSO each), so one pressured
/// queue is enough to pressure the host's order flow.</item>
/// <item>Baseline: per <see cref="BaselinePolicy"/> (warm-up as an agent must, or hindsight for analysis); DFI is
/// Core.Metrics' formula against it (docs/METRICS.md).</item>
/// <item>Storm recurrence: the controller's own count of FLUSH_STORM entries in its recurrence window. Those passed
/// hysteresis and confirmation; a raw DFI-crossing counter counts one storm twice when DFI flickers around the onset.</item>
/// </list>
/// Deadline pressure is the caller's (0 for an agent, which sees no order book).
/// </summary>
public sealed class HostSignalPipeline
{
    private readonly RegimeControllerConfig _config;
    private readonly BaselinePolicy _policy;
    private readonly List<HostFrame> _warmUp = [];
    private int _warmUpWindows = -1;
    private int _warmedWindows;

    public HostSignalPipeline(string host, RegimeControllerConfig config, BaselinePolicy policy)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        Baseline = policy.Hindsight;
    }

    public string Host { get; }

    public BaselinePolicy Policy => _policy;

    /// <summary>The baseline in use; null while warming up.</summary>
    public HostBaseline? Baseline { get; private set; }

    /// <summary>The controller; null while warming up.</summary>
    public RegimeController? Controller { get; private set; }

    public Regime Current => Controller?.Current ?? Regime.MapStable;

    /// <summary>The execution policy to apply now (the MAP_STABLE policy while warming up).</summary>
    public ExecutionPolicy ExecutionPolicy => Controller?.Policy ?? _config.MapStablePolicy;

    /// <summary>
    /// The controller's inputs of the last window fed to it (zeros while warming up; a metric with no source enters
    /// as 0, no evidence of pressure). Not for publishing: see <see cref="Published"/>.
    /// </summary>
    public RegimeSignals Signals { get; private set; }

    /// <summary>
    /// The last window's metrics as they may be published and shown: null with a reason where the controller took a
    /// 0 (warming up, no flush source, no DMA latency, no RX/TX cadence), never a 0 that looks like a measurement.
    /// </summary>
    public HostSignals Published { get; private set; } = HostSignals.WarmingUp;

    /// <summary>Windows fed to the controller (warm-up windows not counted).</summary>
    public long Updates { get; private set; }

    /// <summary>
    /// Feeds one closed window (all its frames share one window start). Returns true when the window changed the
    /// regime, with the transition (time = the window's end).
    /// </summary>
    public bool OnWindow(IReadOnlyList<HostFrame> frames, double deadlinePressure, out RegimeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(frames);
        transition = default!;
        if (frames.Count == 0)
        {
            return false;
        }
        var end = frames[0].WindowStartNs + frames[0].WindowNs;
        if (Controller is null)
        {
            if (Baseline is null)
            {
                if (_warmUpWindows < 0)
                {
                    _warmUpWindows = _policy.WarmUpWindowsFor(frames[0].WindowNs);
                }
                _warmUp.AddRange(frames);
                Published = HostSignals.WorstQueue(frames, null, 0, 0);
                if (++_warmedWindows < _warmUpWindows)
                {
                    return false;
                }
                Baseline = HostBaseline.FromFrames(Host, _warmUp);
                _warmUp.Clear();
                _warmUp.TrimExcess();
                Controller = new RegimeController(_config, end);
                return false;
            }
            // Hindsight: the controller starts at the first window's end and that window is its first input.
            Controller = new RegimeController(_config, end);
        }
        var worst = WorstQueue(frames, Baseline!, Controller.OwnStormRecurrence(end), deadlinePressure);
        Signals = worst;
        Published = HostSignals.WorstQueue(frames, Baseline, worst.StormRecurrence, worst.DeadlinePressure);
        Updates++;
        var from = Controller.Current;
        if (!Controller.Update(end, worst))
        {
            return false;
        }
        transition = new RegimeTransition(Host, end, from, Controller.Current, Controller.LastReason.ToString());
        return true;
    }

    /// <summary>The window's signals: the maximum of each desk metric over its queues.</summary>
    public static RegimeSignals WorstQueue(IReadOnlyList<HostFrame> frames, HostBaseline baseline, int stormRecurrence, double deadlinePressure)
    {
        ArgumentNullException.ThrowIfNull(frames);
        RegimeSignals worst = default;
        for (var i = 0; i < frames.Count; i++)
        {
            var s = DeskMetrics.ToSignals(frames[i], baseline, stormRecurrence, deadlinePressure);
            worst = i == 0 ? s : new RegimeSignals(Math.Max(worst.Dfi, s.Dfi), Math.Max(worst.Djs, s.Djs), Math.Max(worst.Pso, s.Pso),
                s.StormRecurrence, s.DeadlinePressure);
        }
        return worst;
    }
}
