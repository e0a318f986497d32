using System.Collections.Concurrent;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Simulation;

/// <summary>What the controller did on one simulated host: its per-window signals and its transitions.</summary>
public sealed class HostControlTrace(string host, string pool)
{
    public string Host { get; } = host;

    public string Pool { get; } = pool;

    public List<(long TsNs, RegimeSignals Signals)> Windows { get; } = [];

    public List<RegimeChange> Changes { get; } = [];
}

/// <summary>
/// Drives each simulated host's execution and routing with the regime controller, exactly as the on-host agent does:
/// the host's frames run through Core's <see cref="HostSignalPipeline"/> (window close → worst queue → baseline from
/// a warm-up → recurrence → signals → controller) and the simulator follows the controller's policy (the MAP_STABLE
/// policy during the warm-up). Real hosts are traced in <see cref="Traces"/>; twins run their own controller untraced.
/// </summary>
public sealed class ControllerPolicyProvider(RegimeControllerConfig? config = null, BaselinePolicy? baseline = null) : IPolicyProvider
{
    /// <summary>The default warm-up: the host's first 60 s of frames.</summary>
    public static readonly BaselinePolicy DefaultWarmUp = BaselinePolicy.WarmUpFor(60 * Time.NanosPerSecond);

    public RegimeControllerConfig Config { get; } = config ?? new RegimeControllerConfig();

    public BaselinePolicy Baseline { get; } = baseline ?? DefaultWarmUp;

    public ConcurrentDictionary<string, HostControlTrace> Traces { get; } = new(StringComparer.Ordinal);

    public IHostPolicySource ForHost(HostInfo host, bool twin)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trace = twin ? null : Traces.GetOrAdd(host.Host, h => new HostControlTrace(h, host.Pool));
        return new Source(new HostSignalPipeline(host.Host, Config, Baseline), trace);
    }

    private sealed class Source(HostSignalPipeline pipeline, HostControlTrace? trace) : IHostPolicySource
    {
        private readonly WindowAssembler _windows = new();

        public ExecutionPolicy Policy => pipeline.ExecutionPolicy;

        public Regime Regime => pipeline.Current;

        public void OnFrame(HostFrame frame) => _windows.Add(frame, OnWindow);

        private void OnWindow(IReadOnlyList<HostFrame> frames)
        {
            var before = pipeline.Updates;
            var changed = pipeline.OnWindow(frames, 0, out var t);
            if (trace is null || pipeline.Updates == before)
            {
                return;
            }
            trace.Windows.Add((frames[0].WindowStartNs + frames[0].WindowNs, pipeline.Signals));
            if (changed)
            {
                trace.Changes.Add(new RegimeChange(t.TsNs, t.From, t.To, pipeline.Controller!.LastReason));
            }
        }
    }
}
