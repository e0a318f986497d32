using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Attribution;

/// <summary>
/// DFI over time per host: for each window start the highest DFI over the host's devices and queues (a parent feels
/// its host's worst queue). Built from host frames and the hosts' baselines; queried by time range.
/// </summary>
public sealed class PressureTimeline
{
    private readonly Dictionary<string, (long[] Starts, double[] Dfi, long WindowNs)> _hosts = new(StringComparer.Ordinal);

    public PressureTimeline(IEnumerable<HostFrame> frames, IReadOnlyDictionary<string, HostBaseline> baselines)
    {
        foreach (var g in frames.GroupBy(f => f.Host, StringComparer.Ordinal))
        {
            if (!baselines.TryGetValue(g.Key, out var baseline))
            {
                continue;
            }
            var byStart = new SortedDictionary<long, double>();
            long windowNs = 0;
            foreach (var f in g)
            {
                windowNs = f.WindowNs;
                if (DeskMetrics.Dfi(f, baseline) is not { } dfi)
                {
                    continue; // no invalidation source in this window: no pressure reading
                }
                byStart[f.WindowStartNs] = byStart.TryGetValue(f.WindowStartNs, out var d) ? Math.Max(d, dfi) : dfi;
            }
            _hosts[g.Key] = ([.. byStart.Keys], [.. byStart.Values], windowNs);
        }
    }

    /// <summary>Mean and peak DFI of <paramref name="host"/>'s windows overlapping [from, to]; nulls without windows.</summary>
    public (double? Mean, double? Peak) Summary(string host, long fromNs, long toNs)
    {
        if (!_hosts.TryGetValue(host, out var h))
        {
            return (null, null);
        }
        var i = Array.BinarySearch(h.Starts, fromNs - h.WindowNs + 1);
        i = i < 0 ? ~i : i;
        double sum = 0;
        var peak = double.NegativeInfinity;
        var n = 0;
        for (; i < h.Starts.Length && h.Starts[i] <= toNs; i++)
        {
            sum += h.Dfi[i];
            peak = Math.Max(peak, h.Dfi[i]);
            n++;
        }
        return n == 0 ? (null, null) : (sum / n, peak);
    }
}
