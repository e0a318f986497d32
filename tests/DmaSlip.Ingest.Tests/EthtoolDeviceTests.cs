using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>Two NICs never merge into one counter key, and the records reported are the rows stored.</summary>
public class EthtoolDeviceTests
{
    private static string Dump(int rx, int tx) => $"NIC statistics:\n     rx_packets: {rx}\n     tx_packets: {tx}\n     rx0_pp_alloc_slow: 3\n";

    [Fact]
    public void Two_nic_dumps_at_one_time_without_a_device_are_refused_with_exit_3_instead_of_merged()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("nic-a.stats"), "1764072000.0\n" + Dump(10, 20));
        File.WriteAllText(dir.File("nic-b.stats"), "1764072000.0\n" + Dump(11, 21));
        var db = dir.File("x.duckdb");
        var (exit, _, stderr) = Cli.Run("ingest", dir.File("nic-a.stats"), dir.File("nic-b.stats"), "--format", "ethtool-s", "--host", "h", "--db", db, "--json");
        Assert.Equal(3, exit);
        Assert.Contains("no device for ethtool -S data", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        using var store = DmaSlipStore.Open(db);
        Assert.Equal(0, store.Count("host_counters"));
    }

    [Fact]
    public void With_device_names_from_file_name_and_flag_the_records_reported_equal_the_rows_stored()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("ethtool-S.eth0.txt"), "1764072000.0\n" + Dump(10, 20));
        File.WriteAllText(dir.File("nic-b.stats"), "1764072000.0\n" + Dump(11, 21));
        var db = dir.File("x.duckdb");
        var (e1, out1, _) = Cli.Run("ingest", dir.File("ethtool-S.eth0.txt"), "--host", "h", "--db", db, "--json");
        var (e2, out2, _) = Cli.Run("ingest", dir.File("nic-b.stats"), "--format", "ethtool-s", "--device", "eth1", "--host", "h", "--db", db, "--json");
        Assert.Equal((0, 0), (e1, e2));
        long Records(string json) => JsonDocument.Parse(json).RootElement.GetProperty("total_records").GetInt64();
        using var store = DmaSlipStore.Open(db);
        Assert.Equal(Records(out1) + Records(out2), store.Count("host_counters"));
        Assert.Equal(6, store.Count("host_counters"));
    }

    [Fact]
    public void A_dump_that_echoes_each_ethtool_command_lands_every_device_under_its_own_name()
    {
        var text = "1764072000.0\nroot@ny4:~# ethtool -S ens1f0\n" + Dump(10, 20) + "root@ny4:~# ethtool -S ens1f1\n" + Dump(11, 21);
        var (r, sink) = RunText("nics.txt", text);
        Assert.Equal(Formats.EthtoolStats, r.Format);
        Assert.Null(r.Error);
        Assert.Equal((6L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        Assert.Equal(10, c.Single(x => x.Device == "ens1f0" && x.Name == "rx_packets").Value);
        Assert.Equal(11, c.Single(x => x.Device == "ens1f1" && x.Name == "rx_packets").Value);
    }

    [Fact]
    public void Two_statistics_blocks_in_one_snapshot_without_a_naming_line_are_refused()
    {
        var (r, sink) = RunText("ethtool-S.eth0.txt", "1764072000.0\n" + Dump(10, 20) + Dump(11, 21));
        Assert.Contains("second 'NIC statistics:' block", r.Error, StringComparison.Ordinal);
        Assert.Empty(sink.Rows<HostCounter>());
    }

    [Fact]
    public void A_dump_naming_another_device_than_the_flag_or_file_name_is_refused()
    {
        var (r, _) = RunText("ethtool-S.eth0.txt", "# ethtool -S eth1\n" + Dump(10, 20));
        Assert.Contains("names device eth1 but the file name says eth0", r.Error, StringComparison.Ordinal);
        using var dir = new TempDir();
        var path = dir.File("ethtool-S.eth0.txt");
        File.WriteAllText(path, Dump(1, 2));
        var results = new Ingestor(new MemorySink(), new IngestOptions { Host = "h", Device = "eth1" }, TimeProvider.System).Ingest([path]);
        Assert.Contains("--device eth1 but the file name says eth0", results[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_one_ethtool_i_file_beside_a_dump_names_its_device_by_bus_info()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("info.txt"), "driver: mlx5_core\nversion: 6.8.0\nfirmware-version: 28.39.1002\nbus-info: 0000:3b:00.0\n");
        File.WriteAllText(dir.File("stats.txt"), Dump(1, 2));
        var (r, sink) = Run(dir.File("stats.txt"), ts: 5);
        Assert.Null(r.Error);
        Assert.All(sink.Rows<HostCounter>(), c => Assert.Equal("0000:3b:00.0", c.Device));
    }

    [Fact]
    public void A_counter_repeated_in_one_snapshot_is_skipped_with_a_warning_so_records_are_stored_rows()
    {
        var (r, sink) = RunText("ethtool-S.eth0.txt", "NIC statistics:\n     rx_packets: 5\n     rx_packets: 7\n     tx_packets: 1\n", ts: 5);
        Assert.Equal((2L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        Assert.Equal(5, sink.Rows<HostCounter>().Single(c => c.Name == "rx_packets").Value);
        Assert.Contains("rx_packets of eth0 repeated", Assert.Single(r.Warnings), StringComparison.Ordinal);
    }
}
