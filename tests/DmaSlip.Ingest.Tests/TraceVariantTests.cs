using DmaSlip.Core.Domain;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>perf script as people publish it: a period column, short callchain addresses, no sys:event lines.</summary>
public class TraceVariantTests
{
    [Fact]
    public void Perf_script_with_a_period_column_and_short_callchain_addresses_lands_every_event()
    {
        var (r, sink) = Run(Golden("trace", "perf-script-period.txt"));
        Assert.Equal(Formats.PerfScript, r.Format);
        Assert.Equal((2L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var e = sink.Rows<HostEventRow>();
        Assert.Equal([HostEventKind.Map, HostEventKind.Unmap], e.Select(x => x.Kind));
        Assert.Equal(4096, e[0].Size);
        Assert.Equal(81_234_500_000_001L, e[0].TsNs);
    }

    [Fact]
    public void Perf_script_without_sys_event_lines_is_labelled_perf_script_not_trace_cmd()
    {
        var (r, _) = Run(Golden("trace", "perf-script-nosys.txt"));
        Assert.Equal(Formats.PerfScript, r.Format);
        Assert.Equal((0L, 2L, 0L), (r.Records, r.Skipped, r.Quarantined));
    }
}
