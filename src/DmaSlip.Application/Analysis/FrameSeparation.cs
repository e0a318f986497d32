using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>DFI/DJS/PSO of one frame set in the simulator's storm and calm windows.</summary>
internal sealed record StateSignals(string State, long Frames, double MeanDfi, double ShareDfiAbove50, double? MeanDjs, long DjsFrames, double? MeanPso, long PsoFrames);

/// <summary>How the desk metrics separate storm from calm windows, on our frames and on the simulator's own.</summary>
internal sealed record SeparationReport(IReadOnlyList<StateSignals> Ours, IReadOnlyList<StateSignals> Truth);

/// <summary>
/// Scores every frame of a table with DFI (against its host's baseline over that table), DJS and PSO, and groups the
/// scores by the truth window's pressure state (truth_windows, matched on host, queue, window start). One host at a
/// time (memory: one host's frames).
/// </summary>
internal static class FrameSeparation
{
    public static SeparationReport Compute(DmaSlipStore store) => new(Score(store, "host_frames"), Score(store, "truth_host_frames"));

    private static List<StateSignals> Score(DmaSlipStore store, string table)
    {
        var acc = new Dictionary<string, (long N, double Dfi, long Above, double Djs, long DjsN, double Pso, long PsoN)>(StringComparer.Ordinal);
        var hosts = store.Sql($"SELECT DISTINCT host FROM {table} ORDER BY host").Rows.Select(r => (string)r[0]!).ToList();
        foreach (var host in hosts)
        {
            var h = new Dictionary<string, object?> { ["h"] = host };
            var frames = store.Sql($"SELECT host, device, queue, window_start_ns, window_ns, flush_rate, flush_burst_q95, dma_latency_q50_ns, dma_latency_q99_ns, rx_cadence_cv, tx_cadence_cv FROM {table} WHERE host = $h", h)
                .Rows.Select(ToFrame).ToList();
            var states = store.Sql("SELECT queue, window_start_ns, pressure_state FROM truth_windows WHERE host = $h", h).Rows
                .ToDictionary(r => (Convert.ToInt32(r[0], CultureInfo.InvariantCulture), Convert.ToInt64(r[1], CultureInfo.InvariantCulture)), r => (string)r[2]!);
            if (frames.Count == 0)
            {
                continue;
            }
            var baseline = HostBaseline.FromFrames(host, frames);
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
                state = Environment.GetEnvironmentVariable("DMASLIP_SEPARATION_BY_HOST") == "1" ? host + "/" + state : state;
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
        }
        return [.. acc.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new StateSignals(k.Key, k.Value.N, k.Value.Dfi / k.Value.N,
            (double)k.Value.Above / k.Value.N, k.Value.DjsN > 0 ? k.Value.Djs / k.Value.DjsN : null, k.Value.DjsN,
            k.Value.PsoN > 0 ? k.Value.Pso / k.Value.PsoN : null, k.Value.PsoN))];
    }

    private static HostFrame ToFrame(object?[] r)
    {
        static double? D(object? v) => v is null ? null : Convert.ToDouble(v, CultureInfo.InvariantCulture);
        return new HostFrame((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2], CultureInfo.InvariantCulture), Convert.ToInt64(r[3], CultureInfo.InvariantCulture),
            Convert.ToInt64(r[4], CultureInfo.InvariantCulture), D(r[5]), null, D(r[6]), null, null, null, null, null, null, D(r[7]), D(r[8]), null, null, null, null,
            D(r[9]), D(r[10]), 0);
    }
}
