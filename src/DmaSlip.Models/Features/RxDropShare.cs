using DmaSlip.Core.Domain;

namespace DmaSlip.Models.Features;

/// <summary>
/// Share of inbound packets a host's NICs dropped over a span, from the cumulative <c>ethtool -S</c> counters in
/// <c>host_counters</c>: Σ Δdrops / Σ (Δdrops + Δrx_packets) over the host's devices, between the last snapshot at or
/// before the span's start and the first at or after its end (clamped to the snapshots there are). Drop counters are
/// the per-driver "no buffer / missed" points (mlx5 <c>rx_out_of_buffer</c> and <c>rx_discards_phy</c>, ixgbe/i40e
/// <c>rx_missed_errors</c>, e1000e/igb <c>rx_no_buffer_count</c>); a device whose counter went backwards (driver
/// reload, counter reset) inside the span is left out. Ring overflow is how a flush storm reaches the feed: when the
/// IOMMU slows DMA the rings fill and the NIC drops.
/// </summary>
public sealed class RxDropShare
{
    public static readonly IReadOnlySet<string> DropCounters =
        new HashSet<string>(["rx_out_of_buffer", "rx_discards_phy", "rx_missed_errors", "rx_no_buffer_count"], StringComparer.Ordinal);

    public const string PacketCounter = "rx_packets";

    /// <summary>The <c>host_counters.source</c> of <c>ethtool -S</c> rows.</summary>
    public const string Source = "ethtool";

    private readonly Dictionary<string, Device[]> _byHost;

    private sealed record Device(long[] Ts, double[] Drops, double[] Packets);

    public RxDropShare(IEnumerable<HostCounter> counters)
    {
        _byHost = counters
            .Where(c => c.Source == Source && (c.Name == PacketCounter || DropCounters.Contains(c.Name)))
            .GroupBy(c => c.Host, StringComparer.Ordinal)
            .ToDictionary(h => h.Key, h => h.GroupBy(c => c.Device, StringComparer.Ordinal).Select(Build).Where(d => d.Ts.Length > 0).ToArray(),
                StringComparer.Ordinal);
    }

    private static Device Build(IEnumerable<HostCounter> rows)
    {
        // One point per snapshot time that has the packet counter: drops summed over the drop counters present.
        var points = rows.GroupBy(r => r.TsNs)
            .Where(g => g.Any(r => r.Name == PacketCounter))
            .OrderBy(g => g.Key)
            .Select(g => (Ts: g.Key, Drops: g.Where(r => r.Name != PacketCounter).Sum(r => r.Value), Packets: g.First(r => r.Name == PacketCounter).Value))
            .ToArray();
        return new Device(points.Select(p => p.Ts).ToArray(), points.Select(p => p.Drops).ToArray(), points.Select(p => p.Packets).ToArray());
    }

    /// <summary>The drop share of <paramref name="host"/> over [from, to]; NaN without two snapshots around it or without traffic.</summary>
    public double Over(string host, long fromNs, long toNs)
    {
        if (!_byHost.TryGetValue(host, out var devices))
        {
            return double.NaN;
        }
        double drops = 0, packets = 0;
        var any = false;
        foreach (var d in devices)
        {
            var a = Array.BinarySearch(d.Ts, fromNs);
            a = a >= 0 ? a : Math.Max(0, ~a - 1); // last snapshot at or before the start
            var b = Array.BinarySearch(d.Ts, toNs);
            b = b >= 0 ? b : Math.Min(d.Ts.Length - 1, ~b); // first at or after the end
            if (b <= a)
            {
                continue;
            }
            var dd = d.Drops[b] - d.Drops[a];
            var dp = d.Packets[b] - d.Packets[a];
            if (dd < 0 || dp < 0)
            {
                continue; // a counter reset inside the span
            }
            drops += dd;
            packets += dp;
            any = true;
        }
        return any && drops + packets > 0 ? drops / (drops + packets) : double.NaN;
    }
}
