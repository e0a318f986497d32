using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// The agent's local controller: the host's <see cref="HostBaseline"/> (built from its first <c>warmupWindows</c>
/// windows, calm-trimmed), a <see cref="RegimeSignalsBuilder"/> and the <see cref="RegimeController"/>. Each window
/// feeds the controller once, with the signals of the window's worst queue (highest DFI): one pressured queue is
/// enough to pressure the host's order flow. The agent sees no order book, so deadline pressure is 0 (SAFE_DMA_CONTAIN
/// needs it and is therefore entered only by a controller embedded in the execution engine).
/// Until the baseline exists the controller holds MAP_STABLE and the signals are NaN-free zeros.
/// </summary>
public sealed class ControllerRegimeTracker(string host, RegimeControllerConfig config, int warmupWindows = 50) : IRegimeTracker
{
    private readonly List<HostFrame> _warmup = [];
    private RegimeSignalsBuilder? _signals;
    private RegimeController? _controller;

    public Regime Current => _controller?.Current ?? Regime.MapStable;

    public RegimeSignals Signals { get; private set; }

    public HostBaseline? Baseline => _signals?.Baseline;

    public bool Observe(FrameWindow window, out RegimeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(window);
        transition = default!;
        if (window.Frames.Count == 0)
        {
            return false;
        }
        if (_signals is null)
        {
            _warmup.AddRange(window.Frames);
            if (_warmup.Count < warmupWindows * window.Frames.Count)
            {
                return false;
            }
            _signals = new RegimeSignalsBuilder(HostBaseline.FromFrames(host, _warmup));
            _controller = new RegimeController(config, window.WindowStartNs);
            _warmup.Clear();
            return false;
        }
        var worst = window.Frames[0];
        var worstDfi = double.NegativeInfinity;
        foreach (var f in window.Frames)
        {
            var dfi = DeskMetrics.Dfi(f, _signals.Baseline);
            if (dfi > worstDfi)
            {
                worstDfi = dfi;
                worst = f;
            }
        }
        Signals = _signals.Next(worst, deadlinePressure: 0);
        var ts = worst.WindowStartNs + worst.WindowNs;
        var from = _controller!.Current;
        if (!_controller.Update(ts, Signals))
        {
            return false;
        }
        transition = new RegimeTransition(host, ts, from, _controller.Current, _controller.LastReason.ToString());
        return true;
    }
}
