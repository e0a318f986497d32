using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Metrics;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>DFI/DJS/PSO of one frame set in the simulator's storm and calm windows.</summary>
internal sealed record StateSignals(string State, long Frames, double MeanDfi, double ShareDfiAbove50, double? MeanDjs, long DjsFrames, double? MeanPso, long PsoFrames);

/// <summary>
/// A host's DFI as the controller and the labels read it (worst queue per window, hindsight baseline) in the windows of
/// one truth state (a window is `storm` when any queue is, else `pressure` when any queue is, else `calm`).
/// </summary>
internal sealed record HostStateDfi(string Host, string State, long Windows, double MeanDfi, double Q95Dfi, double MaxDfi, double ShareDfiAbove50);

/// <summary>How the desk metrics separate storm from calm windows, on our frames and on the simulator's own; and per host on ours.</summary>
internal sealed record SeparationReport(IReadOnlyList<StateSignals> Ours, IReadOnlyList<StateSignals> Truth, IReadOnlyList<HostStateDfi> Hosts);

/// <summary>
/// Scores every frame of a table with DFI (against its host's baseline over that table), DJS and PSO, and groups the
/// scores by the truth window's pressure state (truth_windows, matched on host, queue, window start). One host at a
/// time (memory: one host's frames).
/// </summary>
internal static class FrameSeparation
{
    public static SeparationReport Compute(DmaSlipStore store)
    {
        var hosts = new List<HostStateDfi>();
        return new(Score(store, "host_frames", hosts), Score(store, "truth_host_frames", null), hosts);
    }

    private static readonly string[] StateRank = ["calm", "pressure", "storm"];

    private static List<StateSignals> Score(DmaSlipStore store, string table, List<HostStateDfi>? byHost)
    {
        var acc = new Dictionary<string, (long N, double Dfi, long Above, double Djs, long DjsN, double Pso, long PsoN)>(StringComparer.Ordinal);
        var hosts = store.Sql<string>($"SELECT DISTINCT host FROM {table} ORDER BY host");
        foreach (var host in hosts)
        {
            var h = new Dictionary<string, object?> { ["h"] = host };
            var frames = store.Sql<SeparationFrame>($"SELECT host, device, queue, window_start_ns, window_ns, flush_rate, flush_burst_q95, dma_latency_q50_ns, dma_latency_q99_ns, rx_cadence_cv, tx_cadence_cv FROM {table} WHERE host = $h", h)
                .Select(ToFrame).ToList();
            var states = store.Sql<TruthState>("SELECT queue, window_start_ns, pressure_state FROM truth_windows WHERE host = $h", h)
                .ToDictionary(r => (r.Queue, r.WindowStartNs), r => r.PressureState);
            if (frames.Count == 0)
            {
                continue;
            }
            var baseline = HostBaseline.FromFrames(host, frames);
            var windows = new Dictionary<long, (double Dfi, int Rank)>();
            foreach (var f in frames)
            {
                if (!states.TryGetValue((f.Queue, f.WindowStartNs), out var state))
                {
                    continue;
                }
                if (DeskMetrics.Dfi(f, baseline) is not { } dfi)
                {
                    continue; // no invalidation source in this window
                }
                var rank = Array.IndexOf(StateRank, state);
                windows[f.WindowStartNs] = windows.TryGetValue(f.WindowStartNs, out var w) ? (Math.Max(w.Dfi, dfi), Math.Max(w.Rank, rank)) : (dfi, rank);
                var a = acc.GetValueOrDefault(state);
                a.N++;
                a.Dfi += dfi;
                a.Above += dfi >= 50 ? 1 : 0;
                if (DeskMetrics.Djs(f) is { } djs)
                {
                    a.Djs += djs;
                    a.DjsN++;
                }
                if (DeskMetrics.Pso(f) is { } pso)
                {
                    a.Pso += pso;
                    a.PsoN++;
                }
                acc[state] = a;
            }
            byHost?.AddRange(windows.Values.Where(w => w.Rank >= 0).GroupBy(w => w.Rank).OrderBy(g => g.Key).Select(g =>
            {
                var dfis = g.Select(w => w.Dfi).ToArray();
                return new HostStateDfi(host, StateRank[g.Key], dfis.Length, dfis.Average(), ExactQuantile.OfUnsorted(dfis.ToArray(), 0.95), dfis.Max(), dfis.Count(d => d >= 50) / (double)dfis.Length);
            }));
        }
        return [.. acc.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new StateSignals(k.Key, k.Value.N, k.Value.Dfi / k.Value.N,
            (double)k.Value.Above / k.Value.N, k.Value.DjsN > 0 ? k.Value.Djs / k.Value.DjsN : null, k.Value.DjsN,
            k.Value.PsoN > 0 ? k.Value.Pso / k.Value.PsoN : null, k.Value.PsoN))];
    }

    private static HostFrame ToFrame(SeparationFrame r) =>
        new(r.Host, r.Device, r.Queue, r.WindowStartNs, r.WindowNs, r.FlushRate, null, r.FlushBurstQ95, null, null, null, null, null, null,
            r.DmaLatencyQ50Ns, r.DmaLatencyQ99Ns, null, null, null, null, r.RxCadenceCv, r.TxCadenceCv, 0);

    /// <summary>The columns of a host frame the separation scores read.</summary>
    private sealed record SeparationFrame(string Host, string Device, int Queue, long WindowStartNs, long WindowNs, double? FlushRate,
        double? FlushBurstQ95, double? DmaLatencyQ50Ns, double? DmaLatencyQ99Ns, double? RxCadenceCv, double? TxCadenceCv);

    /// <summary>The simulator's pressure state of one queue window.</summary>
    private sealed record TruthState(int Queue, long WindowStartNs, string PressureState);
}
