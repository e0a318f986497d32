using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Live;
using DmaSlip.Testing;

namespace DmaSlip.Ingest.Tests;

public class LiveSamplerTests
{
    private sealed class ManualTime(long ms) : TimeProvider
    {
        public long Ms { get; set; } = ms;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Ms);
    }

    private static void WriteProc(string root, long rxPackets, long rxBytes, long processed, long squeeze, long irq)
    {
        Directory.CreateDirectory(Path.Combine(root, "net"));
        File.WriteAllText(Path.Combine(root, "net", "dev"),
            "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
            + "    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n"
            + $"  eth0: {rxBytes} {rxPackets} 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        File.WriteAllText(Path.Combine(root, "net", "softnet_stat"),
            $"{processed:x8} 00000000 {squeeze:x8} 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n");
        File.WriteAllText(Path.Combine(root, "interrupts"),
            "           CPU0       CPU1\n"
            + $"  99:        {irq}       0  IR-PCI-MSIX-0000:01:00.0    1-edge      mlx5_comp3@pci:0000:01:00.0\n");
    }

    [Fact]
    public void Counter_deltas_between_two_samples_become_aggregated_events_stamped_at_the_later_sample()
    {
        using var dir = new TempDir();
        var proc = Path.Combine(dir.Path, "proc");
        var time = new ManualTime(1_000);
        WriteProc(proc, rxPackets: 100, rxBytes: 10_000, processed: 50, squeeze: 1, irq: 10);
        var options = new LiveSamplerOptions { ProcRoot = proc, SysRoot = Path.Combine(dir.Path, "sys") };
        var sampler = new LiveSampler("h", time, options);
        Assert.Equal(3, sampler.Sources.Count(s => s.Available));
        Assert.Contains(sampler.Sources, s => s.Source == "tracefs" && !s.Available && s.Detail.Contains("not mounted", StringComparison.Ordinal));
        Assert.Contains(sampler.Sources, s => s.Source.Contains("dmar", StringComparison.Ordinal) && s.Detail.Contains("no IOMMU", StringComparison.Ordinal));
        var first = sampler.Sample();
        Assert.Empty(first.Events);
        Assert.Contains(first.Counters, c => c.Device == "eth0" && c.Name == "rx_packets" && c.Value == 100);
        Assert.DoesNotContain(first.Counters, c => c.Device == "lo");

        WriteProc(proc, rxPackets: 160, rxBytes: 16_000 + 60 * 1000, processed: 80, squeeze: 4, irq: 17);
        time.Ms = 2_000;
        var second = sampler.Sample();
        var rx = second.Events.Single(e => e.Device == "eth0").Event;
        Assert.Equal((HostEventKind.Rx, 60, 1100L, 2_000_000_000L), (rx.Kind, rx.Count, rx.Size, rx.TsNs));
        var squeeze = second.Events.Single(e => e.Device == "softnet" && e.Event.Kind == HostEventKind.NapiPoll).Event;
        Assert.Equal((3, 64L, 64L), (squeeze.Count, squeeze.Value, squeeze.Aux));
        Assert.Equal(30, second.Events.Single(e => e.Device == "softnet" && e.Event.Kind == HostEventKind.Rx).Event.Count);
        var irq = second.Events.Single(e => e.Device == "0000:01:00.0").Event;
        Assert.Equal((HostEventKind.NapiPoll, 3, 7), (irq.Kind, irq.Queue, irq.Count));

        // a counter that went down (reset) yields nothing
        WriteProc(proc, rxPackets: 5, rxBytes: 500, processed: 80, squeeze: 4, irq: 17);
        time.Ms = 3_000;
        Assert.Empty(sampler.Sample().Events);
    }

    [Fact]
    public void Page_pool_and_dmar_latency_counter_deltas_become_map_unmap_and_qi_submit_events()
    {
        var prev = new Dictionary<(string, string, string), double>
        {
            [("ethtool", "eth0", "rx2_pp_alloc_slow")] = 10,
            [("ethtool", "eth0", "rx2_pp_recycle_ring_full")] = 5,
            [("dmar_perf_latency", "dmar1", "inv_iotlb.1us_10us")] = 100,
        };
        var cur = new List<HostCounter>
        {
            new(9, "h", "ethtool", "eth0", "rx2_pp_alloc_slow", 15),
            new(9, "h", "ethtool", "eth0", "rx2_pp_recycle_ring_full", 9),
            new(9, "h", "dmar_perf_latency", "dmar1", "inv_iotlb.1us_10us", 130),
        };
        var events = new List<LiveEvent>();
        CounterDeltas.ToEvents(prev, cur, 9, events);
        Assert.Equal(
            [("eth0", HostEventKind.Map, 2, 5), ("eth0", HostEventKind.Unmap, 2, 4), ("dmar1", HostEventKind.QiSubmit, -1, 30)],
            events.Select(e => (e.Device, e.Event.Kind, e.Event.Queue, e.Event.Count)));
        Assert.Equal(3_162, events[2].Event.Value);
    }

    [Fact]
    public void Collect_on_this_machine_stores_frames_its_hosts_row_and_names_every_missing_source()
    {
        if (!File.Exists("/proc/net/softnet_stat"))
        {
            return; // not Linux
        }
        using var dir = new TempDir();
        var (exit, stdout, stderr) = Cli.Run("collect", "--interval", "100", "--duration", "4", "--db", dir.File("c.duckdb"), "--json", "--host", "this-vm", "--pool", "pool-vm");
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("frames").GetInt32() >= 30, stdout);
        var sources = root.GetProperty("sources").EnumerateArray().ToList();
        Assert.Contains(sources, s => s.GetProperty("available").GetBoolean());
        Assert.All(sources.Where(s => !s.GetProperty("available").GetBoolean()), s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("detail").GetString())));
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        List<HostInfo> hosts;
        using (var store = DmaSlip.Storage.DmaSlipStore.Open(dir.File("c.duckdb")))
        {
            Assert.True(store.Count("host_frames") >= 30);
            Assert.True(store.Count("host_counters") > 0);
            hosts = store.Query<HostInfo>().ToList();
        }
        Assert.NotEmpty(hosts);
        Assert.All(hosts, h => Assert.Equal(("this-vm", "pool-vm", kernel), (h.Host, h.Pool, h.Kernel)));
        // the same configuration collected again adds no hosts row
        (exit, _, stderr) = Cli.Run("collect", "--interval", "100", "--duration", "0.3", "--db", dir.File("c.duckdb"), "--host", "this-vm");
        Assert.True(exit == 0, stderr);
        using var again = DmaSlip.Storage.DmaSlipStore.Open(dir.File("c.duckdb"));
        Assert.Equal(hosts.Count, again.Query<HostInfo>().Count());
    }
}
