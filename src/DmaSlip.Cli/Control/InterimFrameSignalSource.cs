using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Control;

/// <summary>
/// Stand-in DFI/DJS/PSO from stored host frames (DESIGN §4.5) until the features issue's desk-metric formulas are
/// on main: DFI = 100·z²/(z² + 6²) of the mean positive robust z-score (median/MAD over the host's own frames) of
/// flush rate and burst q95; DJS = (q99 − q50)/q50 of DMA completion; PSO = max(RX, TX cadence CV). The host's
/// signal per window is the worst queue's. Deadline pressure comes from the host's stored orders.
/// </summary>
internal sealed class InterimFrameSignalSource : IHostSignalSource
{
    public IReadOnlyList<string> Hosts(DmaSlipStore store, string? host)
    {
        var r = store.Sql(host is null
            ? "SELECT DISTINCT host FROM host_frames ORDER BY host"
            : "SELECT DISTINCT host FROM host_frames WHERE host = $h ORDER BY host",
            new Dictionary<string, object?> { ["h"] = host });
        return r.Rows.Select(x => (string)x[0]!).ToArray();
    }

    public IEnumerable<HostSignalPoint> Read(DmaSlipStore store, string host)
    {
        var frames = store.Query<HostFrame>("host = $h", "window_start_ns, device, queue", new Dictionary<string, object?> { ["h"] = host }).ToArray();
        var dp = new StoreDeadlinePressure(store, host);
        return FromFrames(host, frames, dp.HasOrders ? dp.At : static _ => 0);
    }

    /// <summary>Signals per window from frames sorted by window start (any device/queue order within a window).</summary>
    public static IEnumerable<HostSignalPoint> FromFrames(string host, IReadOnlyList<HostFrame> frames, Func<long, double> deadlinePressure)
    {
        if (frames.Count == 0)
        {
            yield break;
        }
        var (rateMed, rateScale) = Robust(frames.Select(f => f.FlushRate));
        var (burstMed, burstScale) = Robust(frames.Select(f => f.FlushBurstQ95));
        var i = 0;
        while (i < frames.Count)
        {
            var start = frames[i].WindowStartNs;
            var end = start + frames[i].WindowNs;
            double dfi = 0, djs = double.NaN, pso = double.NaN;
            for (; i < frames.Count && frames[i].WindowStartNs == start; i++)
            {
                var f = frames[i];
                var z = (Math.Max(0, (f.FlushRate - rateMed) / rateScale) + Math.Max(0, (f.FlushBurstQ95 - burstMed) / burstScale)) / 2;
                dfi = Math.Max(dfi, 100 * z * z / (z * z + 36));
                if (f.DmaLatencyQ50Ns is > 0 && f.DmaLatencyQ99Ns is { } q99)
                {
                    djs = MaxNan(djs, (q99 - f.DmaLatencyQ50Ns.Value) / f.DmaLatencyQ50Ns.Value);
                }
                pso = MaxNan(pso, MaxNan(f.RxCadenceCv ?? double.NaN, f.TxCadenceCv ?? double.NaN));
            }
            yield return new HostSignalPoint(host, end, new RegimeSignals(dfi, djs, pso, 0, deadlinePressure(end)));
        }
    }

    private static double MaxNan(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);

    private static (double Median, double Scale) Robust(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0)
        {
            return (0, 1);
        }
        var med = v[v.Length / 2];
        var dev = v.Select(x => Math.Abs(x - med)).Order().ToArray();
        var mad = 1.4826 * dev[dev.Length / 2];
        return (med, Math.Max(mad, Math.Max(1e-9, Math.Abs(med) * 0.05)));
    }
}
