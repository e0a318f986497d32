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
    public void A_sampling_round_gives_the_counter_records_ingest_stores_for_the_same_files()
    {
        using var dir = new TempDir();
        var proc = Path.Combine(dir.Path, "proc");
        var time = new ManualTime(1_000);
        WriteProc(proc, rxPackets: 100, rxBytes: 10_000, processed: 50, squeeze: 1, irq: 10);
        var options = new LiveSamplerOptions { ProcRoot = proc, SysRoot = Path.Combine(dir.Path, "sys") };
        using var sampler = new LiveSampler("h", time, options);
        Assert.Equal(3, sampler.Sources.Count(s => s.Available));
        Assert.Contains(sampler.Sources, s => s.Source == "tracefs" && !s.Available && s.Detail.Contains("not mounted", StringComparison.Ordinal));
        Assert.Contains(sampler.Sources, s => s.Source.Contains("dmar", StringComparison.Ordinal) && s.Detail.Contains("no IOMMU", StringComparison.Ordinal));
        var first = sampler.Sample();
        Assert.Contains(first.Counters, c => c.Device == "eth0" && c.Name == "rx_packets" && c.Value == 100);
        Assert.DoesNotContain(first.Counters, c => c.Device == "lo");

        // ingest of the same /proc/interrupts and softnet_stat text gives the same rows
        var sink = new MemorySink();
        File.WriteAllText(Path.Combine(dir.Path, "interrupts"), File.ReadAllText(Path.Combine(proc, "interrupts")));
        File.WriteAllText(Path.Combine(dir.Path, "softnet_stat"), File.ReadAllText(Path.Combine(proc, "net", "softnet_stat")));
        new Ingestor(sink, new IngestOptions { Host = "h", Format = "interrupts", SnapshotTsNs = 1_000 * Time.NanosPerMilli }, TimeProvider.System).Ingest([Path.Combine(dir.Path, "interrupts")]);
        new Ingestor(sink, new IngestOptions { Host = "h", Format = "softnet-stat", SnapshotTsNs = 1_000 * Time.NanosPerMilli }, TimeProvider.System).Ingest([Path.Combine(dir.Path, "softnet_stat")]);
        var ingested = sink.Rows<HostCounter>().ToHashSet();
        Assert.NotEmpty(ingested);
        Assert.All(ingested, c => Assert.Contains(c, first.Counters));
        Assert.Contains(first.Counters, c => (c.Source, c.Device, c.Name, c.Value) == ("irq_affinity", "0000:01:00.0", "queue3", 0));
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
