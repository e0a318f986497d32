using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Storage;

namespace DmaSlip.Application.Control;

/// <summary>
/// Controller inputs from stored host frames with the desk-metric formulas of Core.Metrics (docs/METRICS.md): each
/// frame's DFI against its host's calm <see cref="HostBaseline"/>, DJS and PSO; the host's signal per window is its
/// worst queue's (max over devices and queues). Deadline pressure comes from the host's stored orders.
/// Storm recurrence is left to the controller's own count of FLUSH_STORM entries: those passed hysteresis and
/// confirmation, while a raw DFI-crossing counter counts one storm twice when its DFI flickers around the onset level.
/// </summary>
internal sealed class FrameSignalSource : IHostSignalSource
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
        var baseline = HostBaseline.FromFrames(host, frames);
        var i = 0;
        while (i < frames.Count)
        {
            var start = frames[i].WindowStartNs;
            var end = start + frames[i].WindowNs;
            var dp = deadlinePressure(end);
            RegimeSignals worst = default;
            for (; i < frames.Count && frames[i].WindowStartNs == start; i++)
            {
                var s = DeskMetrics.ToSignals(frames[i], baseline, 0, dp);
                worst = new RegimeSignals(Math.Max(worst.Dfi, s.Dfi), Math.Max(worst.Djs, s.Djs), Math.Max(worst.Pso, s.Pso), 0, s.DeadlinePressure);
            }
            yield return new HostSignalPoint(host, end, worst);
        }
    }
}
