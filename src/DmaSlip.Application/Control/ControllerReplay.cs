using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Application.Control;

/// <summary>Result of replaying one host's frames through Core's host-signal pipeline.</summary>
/// <param name="Updates">Windows replayed (warm-up windows included).</param>
/// <param name="Baseline">The baseline policy, as text ("warm-up 50 windows", "hindsight").</param>
internal sealed record HostReplay(string Host, long Updates, long FromNs, long ToNs, IReadOnlyList<RegimeTransition> Transitions,
    IReadOnlyDictionary<Regime, long> TimeInRegimeNs, string Baseline);

/// <summary>How <c>controller replay</c> takes each host's baseline.</summary>
/// <param name="Hindsight">Hindsight (analysis): the baseline from all of the host's frames; otherwise a warm-up.</param>
/// <param name="WarmUpWindows">Warm-up windows (the agent's default unless told).</param>
internal sealed record ReplayBaseline(bool Hindsight = false, int WarmUpWindows = BaselinePolicy.DefaultWarmUpWindows)
{
    /// <summary>The agent's policy: what <c>controller replay</c> does by default.</summary>
    public static ReplayBaseline Agent { get; } = new();

    public BaselinePolicy For(string host, IReadOnlyList<HostFrame> frames) =>
        Hindsight ? BaselinePolicy.FromHindsight(HostBaseline.FromFrames(host, frames)) : BaselinePolicy.WarmUp(WarmUpWindows);
}

/// <summary>Runs a host's stored frames through the pipeline, exactly as an agent (or, under hindsight, an analyst) would have.</summary>
internal static class ControllerReplay
{
    /// <summary>
    /// Frames sorted by window start (any device/queue order within a window); <paramref name="deadlinePressure"/>
    /// at each window's end (0 when the host has no stored orders, as for an agent).
    /// </summary>
    public static HostReplay Run(string host, IReadOnlyList<HostFrame> frames, RegimeControllerConfig config, BaselinePolicy policy,
        Func<long, double> deadlinePressure)
    {
        var pipeline = new HostSignalPipeline(host, config, policy);
        var transitions = new List<RegimeTransition>();
        var time = new Dictionary<Regime, long> { [Regime.MapStable] = 0, [Regime.PressureWatch] = 0, [Regime.FlushStorm] = 0, [Regime.SafeDmaContain] = 0 };
        long updates = 0, from = 0, last = 0;
        var window = new List<HostFrame>();
        var i = 0;
        while (i < frames.Count)
        {
            var start = frames[i].WindowStartNs;
            window.Clear();
            for (; i < frames.Count && frames[i].WindowStartNs == start; i++)
            {
                window.Add(frames[i]);
            }
            var end = start + window[0].WindowNs;
            if (updates == 0)
            {
                from = last = end;
            }
            time[pipeline.Current] += Math.Max(0, end - last);
            last = Math.Max(last, end);
            if (pipeline.OnWindow(window, deadlinePressure(end), out var t))
            {
                transitions.Add(t);
            }
            updates++;
        }
        return new HostReplay(host, updates, from, last, transitions, time, policy.ToString());
    }
}
