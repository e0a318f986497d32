using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

public class CounterGoldenTests
{
    private static double V(IEnumerable<HostCounter> c, string name, long? ts = null) =>
        c.Single(x => x.Name == name && (ts is null || x.TsNs == ts)).Value;

    [Fact]
    public void Dmar_perf_latency_snapshots_give_cumulative_buckets_and_rates_from_deltas()
    {
        var (r, sink) = Run(Golden("counters", "dmar_perf_latency.txt"));
        Assert.Equal(Formats.DmarPerfLatency, r.Format);
        Assert.Equal((7L, 0L, 1L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        Assert.All(c, x => Assert.Equal(("dmar18", "dmar_perf_latency"), (x.Device, x.Source)));
        const long t0 = 1_764_072_000_000_000_000, t1 = 1_764_072_002_500_000_000;
        Assert.Equal(286, V(c, "inv_iotlb.100ns_1us", t0));
        Assert.Equal(409, V(c, "inv_iotlb.samples", t0));
        Assert.Equal(556, V(c, "svm_prq.max_us"));
        // (909 − 409) samples / 2.5 s = 200 /s
        Assert.Equal(200.0, V(c, "inv_iotlb.samples_per_s", t1), 9);
        Assert.Equal(0.0, V(c, "inv_devtlb.samples_per_s", t1));
        Assert.DoesNotContain(c, x => x.Name == "inv_iotlb.samples_per_s" && x.TsNs == t0);
    }

    [Fact]
    public void Perf_stat_interval_csv_keeps_IOMMU_PMU_events_and_skips_not_counted_and_other_events()
    {
        var (r, sink) = Run(Golden("counters", "perf-stat.csv"));
        Assert.Equal(Formats.PerfStat, r.Format);
        Assert.Equal((5L, 3L, 1L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        var started = new DateTimeOffset(2026, 11, 25, 17, 33, 18, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        var req = c.Single(x => x.Name.StartsWith("iommu_requests", StringComparison.Ordinal));
        Assert.Equal(("dmar1", "iommu_requests,filter_ats_en=0x1,filter_ats=0x1", 368947.0, started + 1_001_002_003), (req.Device, req.Name, req.Value, req.TsNs));
        Assert.Equal(55, c.Single(x => x.Device == "amd_iommu_0").Value);
        Assert.Equal(1300, V(c, "iotlb_lookup", started + 2_002_004_006));
    }

    [Fact]
    public void Per_cpu_tracepoint_counts_land_per_cpu_and_other_events_are_skipped()
    {
        var (r, sink) = Run(Golden("counters", "perf-stat-tracepoints.csv"));
        Assert.Equal(Formats.PerfStat, r.Format);
        Assert.Equal((4L, 2L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        var started = new DateTimeOffset(2013, 10, 7, 13, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.All(c, x => Assert.Equal("perf_stat", x.Source));
        Assert.Equal([("cpu2", "iommu:map", 397.0, started + 100_123_456), ("cpu2", "intel_iommu:qi_submit", 12.0, started + 100_123_456),
            ("cpu3", "net:netif_receive_skb", 88.0, started + 100_123_456), ("cpu2", "iommu:map", 401.0, started + 200_123_456)],
            c.Select(x => (x.Device, x.Name, x.Value, x.TsNs)));
    }

    [Fact]
    public void Perf_stat_with_comma_separator_keeps_an_event_whose_text_contains_commas()
    {
        var (r, sink) = Run(Golden("counters", "perf-stat-comma.csv"), ts: 0);
        Assert.Equal((1L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        Assert.Equal(("iommu_requests,filter_ats_en=0x1,filter_ats=0x1", 1_000_123_456L), (sink.Rows<HostCounter>()[0].Name, sink.Rows<HostCounter>()[0].TsNs));
    }

    [Fact]
    public void Ethtool_S_snapshot_series_lands_every_counter_with_device_and_host_from_the_path()
    {
        var (r, sink) = Run(Golden("counters", "hosts", "ny4-07", "ethtool-S.eth0.txt"), host: null);
        Assert.Equal(Formats.EthtoolStats, r.Format);
        Assert.Equal((10L, 0L, 1L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        Assert.All(c, x => Assert.Equal(("ny4-07", "eth0", "ethtool"), (x.Host, x.Device, x.Source)));
        Assert.Equal(9, V(c, "rx0_pp_alloc_slow", 1_764_072_001_000_000_000));
        Assert.True(EthtoolName.TryParse("rx0_pp_alloc_slow", out var q, out var b) && q == 0 && b == "rx_pp_alloc_slow");
        Assert.True(EthtoolName.TryParse("rx12_cache_reuse", out q, out b) && q == 12 && b == "rx_cache_reuse");
        Assert.True(EthtoolName.TryParse("tx_queue_1_packets", out q, out b) && q == 1 && b == "tx_packets");
        Assert.True(EthtoolName.TryParse("ch3_poll", out q, out b) && q == 3 && b == "ch_poll");
        Assert.False(EthtoolName.TryParse("rx_pp_alloc_slow", out _, out _));
    }

    [Fact]
    public void Softnet_stat_with_15_columns_takes_the_cpu_from_column_13_and_11_columns_from_line_order()
    {
        var (r, sink) = Run(Golden("counters", "hosts", "ny4-07", "softnet_stat.txt"), host: null, ts: 5);
        Assert.Equal(Formats.SoftnetStat, r.Format);
        Assert.Equal((2L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        Assert.Equal(0xb5, c.Single(x => x.Device == "cpu0" && x.Name == "processed").Value);
        Assert.Equal(2, c.Single(x => x.Device == "cpu0" && x.Name == "time_squeeze").Value);
        Assert.Equal(0x35f6, c.Single(x => x.Device == "cpu1" && x.Name == "processed").Value);
        Assert.All(c, x => Assert.Equal(5, x.TsNs));

        var (r11, s11) = Run(Golden("counters", "softnet11.txt"), format: Formats.SoftnetStat, ts: 5);
        Assert.Equal((2L, 0L, 1L), (r11.Records, r11.Skipped, r11.Quarantined));
        Assert.Equal(0xb, s11.Rows<HostCounter>().Single(x => x.Device == "cpu1" && x.Name == "processed").Value);
        Assert.DoesNotContain(s11.Rows<HostCounter>(), x => x.Name == "backlog_len");
    }

    [Fact]
    public void Proc_interrupts_keeps_mlx5_completion_and_ice_TxRx_vectors_per_queue()
    {
        var (r, sink) = Run(Golden("counters", "interrupts.txt"), ts: 5);
        Assert.Equal(Formats.Interrupts, r.Format);
        Assert.Equal((2L, 4L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>().Where(x => x.Source == "interrupts").ToList();
        Assert.Equal(("0000:01:00.0", "queue0.interrupts", 4684.0), (c[0].Device, c[0].Name, c[0].Value));
        Assert.Equal(("ens1f0", "queue2.interrupts", 30.0), (c[1].Device, c[1].Name, c[1].Value));
        // The CPU each vector counted most on: 4360 on CPU1 for mlx5_comp0, 20 on CPU1 for TxRx-2.
        var affinity = sink.Rows<HostCounter>().Where(x => x.Source == "irq_affinity").Select(x => (x.Device, x.Name, x.Value));
        Assert.Equal([("0000:01:00.0", "queue0", 1.0), ("ens1f0", "queue2", 1.0)], affinity);
    }

    [Fact]
    public void Host_config_files_of_one_host_make_its_hosts_row_and_fingerprint()
    {
        var sink = new MemorySink();
        var ingestor = new Ingestor(sink, new IngestOptions { Host = "ny4-07", SnapshotTsNs = 42 }, TimeProvider.System);
        var results = ingestor.Ingest([
            Golden("counters", "hosts", "ny4-07", "ethtool-i.eth0.txt"), Golden("counters", "hosts", "ny4-07", "cmdline"),
            Golden("counters", "hosts", "ny4-07", "uname-r"), Golden("sysfs", "kernel", "iommu_groups", "17", "type"),
            Golden("sysfs", "class", "net", "eth0", "device", "numa_node"),
        ]);
        Assert.All(results, x => Assert.Null(x.Error));
        Assert.Equal([Formats.EthtoolInfo, Formats.Cmdline, Formats.UnameR, Formats.IommuGroupType, Formats.NumaNode], results.Select(x => x.Format));
        Assert.Equal((4L, 2L), (results[0].Records, results[0].Skipped));
        var h = Assert.Single(sink.Rows<HostInfo>());
        // the sysfs group type (DMA-FQ, what the kernel chose) wins over the command line's request
        Assert.Equal(("ny4-07", "eth0", "mlx5_core", "6.8.0-45-generic", IommuMode.Lazy, 1, 42L),
            (h.Host, h.Device, h.Driver, h.Kernel, h.IommuMode, h.NumaNode, h.ValidFromNs));
        Assert.Equal(HostFingerprint.Compute("6.8.0-45-generic", "mlx5_core", "6.8.0-45-generic", IommuMode.Lazy), h.Fingerprint);
        Assert.NotEqual(h.Fingerprint, HostFingerprint.Compute("6.8.0-45-generic", "mlx5_core", "6.8.0-45-generic", IommuMode.Strict));
        Assert.Equal(5, sink.Rows<IngestFile>().Count);
        Assert.Equal(IommuMode.Strict, HostFingerprint.ModeFromCmdline("ro iommu.strict=1 quiet"));
        Assert.Equal(IommuMode.Passthrough, HostFingerprint.ModeFromCmdline("iommu=pt"));
        Assert.Null(HostFingerprint.ModeFromCmdline("ro quiet"));
    }
}
