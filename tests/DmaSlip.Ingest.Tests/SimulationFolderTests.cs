using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

public class SimulationFolderTests
{
    [Fact]
    public void A_simulator_output_folder_ingests_as_a_whole_each_file_through_its_parser()
    {
        using var dir = new TempDir();
        using var dbDir = new TempDir();
        var o = dir.Path;
        var h = Path.Combine(o, "hosts", "ny4-01");
        Directory.CreateDirectory(Path.Combine(h, "traces"));
        Directory.CreateDirectory(Path.Combine(o, "fix"));
        Directory.CreateDirectory(Path.Combine(o, "orders"));
        Directory.CreateDirectory(Path.Combine(o, "market"));
        Directory.CreateDirectory(Path.Combine(o, "truth"));
        File.WriteAllText(Path.Combine(o, "scenario.json"), "{\"seed\": 7, \"hosts\": 1}");
        File.WriteAllText(Path.Combine(o, "inventory.json"),
            "[{\"host\":\"ny4-01\",\"pool\":\"ny4\",\"device\":\"eth0\",\"nic_model\":\"ConnectX-6\",\"driver\":\"mlx5_core\",\"driver_version\":\"6.8.0\","
            + "\"kernel\":\"6.8.0-45-generic\",\"iommu_mode\":\"strict\",\"numa_node\":0,\"cpu_numa_node\":1,\"fingerprint\":\"abc\",\"valid_from_ns\":0,\"security_review\":null}]");
        File.Copy(Golden("counters", "perf-stat.csv"), Path.Combine(h, "perf-stat.csv"));
        File.Copy(Golden("counters", "hosts", "ny4-07", "ethtool-S.eth0.txt"), Path.Combine(h, "ethtool-S.eth0.txt"));
        File.Copy(Golden("counters", "hosts", "ny4-07", "ethtool-i.eth0.txt"), Path.Combine(h, "ethtool-i.eth0.txt"));
        File.Copy(Golden("counters", "dmar_perf_latency.txt"), Path.Combine(h, "dmar_perf_latency.txt"));
        File.Copy(Golden("counters", "hosts", "ny4-07", "softnet_stat.txt"), Path.Combine(h, "softnet_stat.txt"));
        File.WriteAllText(Path.Combine(h, "frames.csv"),
            "host,device,queue,window_start_ns,window_ns,flush_rate,flush_burst_q50,flush_burst_q95,flush_burst_q99,map_rate,unmap_rate,iotlb_miss_ratio,"
            + "inv_latency_q50_ns,inv_latency_q99_ns,dma_latency_q50_ns,dma_latency_q99_ns,ring_oscillation,napi_poll_variance_us2,napi_saturation_share,"
            + "numa_local_share,rx_cadence_cv,tx_cadence_cv,events\n"
            + "ny4-01,eth0,0,1000000000,100000000,12.5,1,3,4,100,90,,500,900,,,0.1,2.5,0.2,1,0.3,0.4,1234\n"
            + "ny4-01,eth0,0,not-a-number,100000000,12.5,1,3,4,100,90,,500,900,,,0.1,2.5,0.2,1,0.3,0.4,1234\n");
        File.Copy(Golden("trace", "perf-script.txt"), Path.Combine(h, "traces", "w1.perf-script.txt"));
        File.Copy(Golden("fix", "engine.fix.log"), Path.Combine(o, "fix", "ny4-01.fix.log"));
        File.WriteAllText(Path.Combine(o, "orders", "parent_orders.csv"),
            "parent_id,symbol,side,qty,arrival_ts_ns,arrival_mid,deadline_ts_ns,strategy,host,pool,urgency\nP1,IBM,1,300,100,181.5,900,twap,ny4-01,ny4,normal\n");
        File.WriteAllText(Path.Combine(o, "market", "market_quotes.csv"),
            "ts_ns,symbol,venue,bid_px,bid_size,ask_px,ask_size,exchange_ts_ns,seq\n1,IBM,Q,181.5,100,181.6,200,,0\n2,IBM,Q,181.5,100,181.6,200,1,0\n");
        File.WriteAllText(Path.Combine(o, "market", "market_trades.csv"), "ts_ns,symbol,venue,px,size,condition,exchange_ts_ns,seq\n3,IBM,P,181.55,50,,,0\n");
        var db = dbDir.File("db.duckdb");
        using (var store = DmaSlipStore.Open(db))
        {
            store.Execute($"COPY (SELECT 'P1' AS parent_id, 'ny4-01' AS host, 'ny4' AS pool, 'IBM' AS symbol, 3.0 AS is_bps, 1.0 AS calm_is_bps, 2.0 AS delta_is_bps, 1.0 AS delta_delay_bps, 0.5 AS delta_impact_bps, 0.5 AS delta_miss_bps, true AS in_storm) TO '{Path.Combine(o, "truth", "truth_parent.parquet")}' (FORMAT parquet)");
            store.Execute($"COPY (SELECT 'ny4-01' AS host, 0 AS queue, 1000000000::BIGINT AS window_start_ns, 'storm' AS pressure_state) TO '{Path.Combine(o, "truth", "truth_windows.parquet")}' (FORMAT parquet)");
            // The simulator's own frames: a truth table for parity checks, never host_frames.
            store.Execute("INSERT INTO host_frames VALUES ('ny4-01', 'eth0', 1, 2000000000, 100000000, 10, 1, 2, 3, 100, 90, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 7)");
            store.Execute($"COPY host_frames TO '{Path.Combine(o, "truth", "host_frames.parquet")}' (FORMAT parquet)");
            store.Execute("DELETE FROM host_frames");
        }

        var (exit, stdout, stderr) = Cli.Run("ingest", o, "--db", db, "--json");
        Assert.True(exit == 0, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => Path.GetFileName(f.GetProperty("path").GetString()!), f => f);
        Assert.Equal("scenario", files["scenario.json"].GetProperty("format").GetString());
        Assert.Equal("inventory", files["inventory.json"].GetProperty("format").GetString());
        Assert.Equal("perf-stat", files["perf-stat.csv"].GetProperty("format").GetString());
        Assert.Equal("canonical-csv", files["frames.csv"].GetProperty("format").GetString());
        Assert.Equal(1, files["frames.csv"].GetProperty("quarantined").GetInt64());
        Assert.Equal("perf-script", files["w1.perf-script.txt"].GetProperty("format").GetString());
        Assert.Equal("parquet", files["truth_parent.parquet"].GetProperty("format").GetString());
        Assert.Equal(1, files["truth_windows.parquet"].GetProperty("records").GetInt64());

        // the store is closed before the CLI (another process) opens the file again
        using (var s = DmaSlipStore.Open(db))
        {
            // inventory.json says driver version 6.8.0; the host's ethtool -i (copied from another host) says
            // 6.8.0-45-generic: a driver change, so a second row, which keeps what ethtool -i does not restate.
            var rows = s.Query<HostInfo>(null, "valid_from_ns").ToList();
            Assert.Equal(2, rows.Count);
            Assert.All(rows, h => Assert.Equal(("ny4-01", "ny4", IommuMode.Strict, 1, "6.8.0-45-generic"), (h.Host, h.Pool, h.IommuMode, h.CpuNumaNode, h.Kernel)));
            Assert.Equal(("6.8.0", "6.8.0-45-generic"), (rows[0].DriverVersion, rows[1].DriverVersion));
            Assert.Equal(1, s.Count("host_frames"));
            Assert.Equal(1, s.Count("truth_host_frames"));
            Assert.Equal(1L, s.Sql("SELECT queue FROM truth_host_frames").Rows[0][0] is int q ? q : -1);
            Assert.Equal(1, s.Count("parent_orders"));
            Assert.Equal(2, s.Count("market_quotes"));
            Assert.Null(s.Query<Quote>().First().ExchangeTsNs);
            Assert.Equal(1, s.Count("market_trades"));
            Assert.Equal(1, s.Count("truth_parent"));
            Assert.Equal(1, s.Count("truth_windows"));
            Assert.All(s.Query<OrderEvent>(), e => Assert.Equal("ny4-01", e.Host));
            Assert.All(s.Query<HostEventRow>(), e => Assert.Equal("ny4-01", e.Host));
            Assert.Equal(files.Count, s.Count("ingest_files"));
        }

        var (exit2, stdout2, stderr2) = Cli.Run("ingest", o, "--db", db, "--json");
        Assert.True(exit2 == 0, stderr2 + stdout2);
        using var doc2 = JsonDocument.Parse(stdout2);
        Assert.All(doc2.RootElement.GetProperty("files").EnumerateArray(), f => Assert.True(f.GetProperty("skipped_duplicate_file").GetBoolean()));
    }
}
