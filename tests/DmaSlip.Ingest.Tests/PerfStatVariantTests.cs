using DmaSlip.Core.Domain;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>The shapes of perf stat output people publish for IOMMU PMU events (samples written here in those shapes).</summary>
public class PerfStatVariantTests
{
    private static Dictionary<(string Device, string Name, long Ts), double> Counters(MemorySink sink) =>
        sink.Rows<HostCounter>().ToDictionary(c => (c.Device, c.Name, c.TsNs), c => c.Value);

    [Fact]
    public void The_default_human_format_with_thousands_separators_multiplexing_and_not_counted_is_read()
    {
        var (r, sink) = Run(Golden("counters", "perf", "stat-human.txt"), ts: 1000);
        Assert.Equal(Formats.PerfStat, r.Format);
        Assert.Equal((3L, 4L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = Counters(sink);
        Assert.Equal(2_468_001, c[("dmar0", "iommu_requests", 1000)]);
        Assert.Equal(98_765, c[("amd_iommu_0", "cmd_processed", 1000)]);
        Assert.Equal(512, c[("dmar0", "iotlb_hit", 1000)]);
    }

    [Fact]
    public void The_human_interval_format_adds_its_time_column_to_the_base_time()
    {
        var (r, sink) = Run(Golden("counters", "perf", "stat-human-interval.txt"), ts: 0);
        Assert.Equal(Formats.PerfStat, r.Format);
        Assert.Equal((3L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = Counters(sink);
        Assert.Equal(1_000_000, c[("dmar0", "iommu_requests", 1_001_014_161)]);
        Assert.Equal(1_500_000, c[("dmar0", "iommu_requests", 2_002_093_118)]);
        Assert.Equal(2_000, c[("amd_iommu_0", "cmd_processed", 1_001_014_161)]);
    }

    [Fact]
    public void Csv_with_per_socket_per_core_per_node_and_per_cpu_prefixes_and_metric_only_rows_is_read_and_sums_one_counter_over_rows()
    {
        var (r, sink) = Run(Golden("counters", "perf", "stat-per-socket.csv"), format: Formats.PerfStat, ts: 0);
        Assert.Equal((5L, 3L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = Counters(sink);
        Assert.Equal(4100, c[("dmar0", "iommu_requests", 0)]);
        Assert.Equal(3000, c[("dmar1", "iommu_requests", 0)]);
        Assert.Equal(700, c[("dmar0", "iotlb_lookup", 0)]);
        Assert.Equal(50, c[("amd_iommu_0", "cmd_processed", 0)]);
        Assert.Equal(60, c[("amd_iommu_0", "tlb_inv", 0)]);
        Assert.Equal(sink.Rows<HostCounter>().Count, c.Count);
        Assert.Contains("summed", Assert.Single(r.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_captured_from_stderr_without_started_on_and_a_first_msec_row_is_detected_and_not_taken_for_an_interval()
    {
        var (r, sink) = Run(Golden("counters", "perf", "stat-stderr.csv"), ts: 77);
        Assert.Equal(Formats.PerfStat, r.Format);
        Assert.Equal((1L, 3L, 0L), (r.Records, r.Skipped, r.Quarantined));
        Assert.Equal(5000, Counters(sink)[("dmar2", "iommu_requests", 77)]);
        var (plain, _) = Run(Golden("counters", "perf", "stat-stderr-plain.csv"), ts: 77);
        Assert.Equal(Formats.PerfStat, plain.Format);
        Assert.Equal((0L, 4L, 0L), (plain.Records, plain.Skipped, plain.Quarantined));
    }
}
