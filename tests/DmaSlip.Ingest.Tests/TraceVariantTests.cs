using DmaSlip.Core.Domain;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// perf script as people publish it (a period column, short callchain addresses, no sys:event lines) and ftrace's
/// latency-format and function_graph shapes (samples written in the kernel's printf layouts, trace_output.c and
/// trace_functions_graph.c).
/// </summary>
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

    [Fact]
    public void Ftrace_latency_format_lands_every_event_on_its_relative_time_and_says_the_time_is_relative()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-latency-format.trace"));
        Assert.Equal(Formats.Ftrace, r.Format);
        Assert.Equal((4L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined)); // irq_handler_entry is not used
        var e = sink.Rows<HostEventRow>();
        Assert.Equal([HostEventKind.NapiPoll, HostEventKind.Map, HostEventKind.Unmap, HostEventKind.Tx], e.Select(x => x.Kind));
        Assert.Equal([3_000L, 5_000L, 41_000L, 312_000L], e.Select(x => x.TsNs));
        Assert.Equal([2, 2, 2, 5], e.Select(x => x.Cpu));
        Assert.Equal(12, e[0].Value);
        Assert.Equal(4096, e[1].Size);
        Assert.Contains("microseconds since the trace buffer was reset", Assert.Single(r.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_tracer_report_skips_its_function_lines_and_stack_and_lands_the_event()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-irqsoff-latency.trace"));
        Assert.Equal(Formats.Ftrace, r.Format);
        Assert.Equal((1L, 4L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var e = Assert.Single(sink.Rows<HostEventRow>());
        Assert.Equal((HostEventKind.QiSubmit, 2_000L, 3, "dmar1"), (e.Kind, e.TsNs, e.Cpu, e.Device));
    }

    [Fact]
    public void Function_graph_with_abstime_lands_the_events_printed_as_comments_and_skips_the_calls()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-function-graph.trace"));
        Assert.Equal(Formats.Ftrace, r.Format);
        Assert.Equal((4L, 6L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var e = sink.Rows<HostEventRow>();
        Assert.Equal([HostEventKind.NapiPoll, HostEventKind.Map, HostEventKind.Rx, HostEventKind.Unmap], e.Select(x => x.Kind));
        Assert.Equal([5_211_004_413_000L, 5_211_004_414_000L, 5_211_004_417_000L, 5_211_004_512_000L], e.Select(x => x.TsNs));
        Assert.All(e, x => Assert.Equal(2, x.Cpu));
        Assert.Equal("ens1f0np0", e[2].Device);
        Assert.Equal(1514, e[2].Size);
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public void A_function_graph_event_without_a_time_column_is_quarantined_with_the_option_that_gives_it_time()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-function-graph-notime.trace"));
        Assert.Equal((0L, 2L, 1L), (r.Records, r.Skipped, r.Quarantined));
        var q = Assert.Single(sink.Rows<QuarantineRecord>());
        Assert.Contains("funcgraph-abstime", q.Reason, StringComparison.Ordinal);
    }
}
