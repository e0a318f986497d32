using DmaSlip.Core.Domain;
using DmaSlip.Models.Features;

namespace DmaSlip.Models.Tests.Features;

public sealed class RxDropShareTests
{
    private static IEnumerable<HostCounter> Snapshot(string host, string device, long ts, double packets, double outOfBuffer, double? missed = null)
    {
        yield return new HostCounter(ts, host, "ethtool", device, "rx_packets", packets);
        yield return new HostCounter(ts, host, "ethtool", device, "rx_out_of_buffer", outOfBuffer);
        if (missed is { } m)
        {
            yield return new HostCounter(ts, host, "ethtool", device, "rx_missed_errors", m);
        }
        yield return new HostCounter(ts, host, "ethtool", device, "tx_packets", 1e12); // not an RX counter: ignored
    }

    [Fact]
    public void Drop_share_is_the_dropped_part_of_everything_that_arrived_between_the_bracketing_snapshots()
    {
        var rows = Snapshot("h0", "eth0", 0, 1_000, 0)
            .Concat(Snapshot("h0", "eth0", 10, 10_000, 0))
            .Concat(Snapshot("h0", "eth0", 20, 19_000, 1_000))
            .Concat(Snapshot("h0", "eth1", 0, 0, 0, 0))
            .Concat(Snapshot("h0", "eth1", 20, 8_000, 500, 1_500))
            .Concat(Snapshot("h1", "eth0", 0, 5, 0));
        var d = new RxDropShare(rows);
        // [12, 18] is bracketed by the snapshots at 10 and 20: eth0 9 000 packets + 1 000 drops; eth1 (0 → 20)
        // 8 000 packets + 500 + 1 500 drops → 3 000 / 20 000.
        Assert.Equal(0.15, d.Over("h0", 12, 18), 12);
        // [0, 10]: eth0 9 000 packets, no drops; eth1 has no snapshot at or after 10 before 20 → (0 → 20) counts.
        Assert.Equal(2_000.0 / (9_000 + 10_000), d.Over("h0", 0, 10), 12);
        Assert.True(double.IsNaN(d.Over("h1", 0, 10)), "one snapshot: no span");
        Assert.True(double.IsNaN(d.Over("h9", 0, 10)), "unknown host");
    }

    [Fact]
    public void A_device_whose_counter_went_backwards_is_left_out()
    {
        var rows = Snapshot("h0", "eth0", 0, 1_000, 100)
            .Concat(Snapshot("h0", "eth0", 10, 50, 0)) // driver reload: counters restart
            .Concat(Snapshot("h0", "eth1", 0, 0, 0))
            .Concat(Snapshot("h0", "eth1", 10, 900, 100));
        Assert.Equal(0.1, new RxDropShare(rows).Over("h0", 0, 10), 12);
    }
}
