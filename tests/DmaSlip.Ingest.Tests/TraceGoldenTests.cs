using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Trace;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

public class TraceGoldenTests
{
    [Fact]
    public void The_ath12k_ftrace_capture_yields_map_dma_alloc_dma_free_unmap_and_a_page_fault()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-ath12k.trace"));
        Assert.Equal(Formats.Ftrace, r.Format);
        Assert.Equal((5L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var rows = sink.Rows<HostEventRow>();
        Assert.Equal([HostEventKind.Map, HostEventKind.Map, HostEventKind.Unmap, HostEventKind.Unmap, HostEventKind.PageFault], rows.Select(x => x.Kind));
        var map = rows[0];
        Assert.Equal(4_878_076_000L, map.TsNs);
        Assert.Equal(10, map.Cpu);
        Assert.Equal(524288, map.Size);
        Assert.Equal(0xfe980000L, map.Value);
        Assert.Equal(0x10ec80000L, map.Aux);
        Assert.Equal("", map.Device);
        Assert.Equal("0000:c2:00.0", rows[1].Device);
        Assert.Equal(0xfe980000L, rows[1].Value);
        Assert.Equal(524288, rows[3].Aux);
        Assert.Equal(("0000:c2:00.0", 0xfe980000L, 1L, 6), (rows[4].Device, rows[4].Value, rows[4].Aux, rows[4].Cpu));
        Assert.All(rows, x => Assert.Equal("h1", x.Host));
        Assert.Equal(rows.Count, rows.Select(x => x.SourceOffset).Distinct().Count());
    }

    [Fact]
    public void Four_five_and_seven_character_flag_fields_comm_names_with_spaces_and_all_event_kinds_decode()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-mixed.trace"));
        var rows = sink.Rows<HostEventRow>();
        // 21 data lines: 16 used; cache_tag_assign, sched_switch, dma_sync not used; 2 quarantined
        Assert.Equal((16L, 3L, 2L), (r.Records, r.Skipped, r.Quarantined));
        Assert.Equal(4194304, rows[0].Size);
        Assert.Equal(HostEventKind.Unmap, rows[1].Kind);
        Assert.Equal(19_555_667_046_219_000L, rows[3].TsNs);
        Assert.Equal(("(no_device)", 2L, 64L, 45), (rows[3].Device, rows[3].Value, rows[3].Aux, rows[3].Cpu));
        Assert.Equal(("em2", -1), (rows[5].Device, rows[5].Cpu));
        Assert.Equal(("can1", 6L), (rows[6].Device, rows[6].Aux));
        var qi = rows.Where(x => x.Kind == HostEventKind.QiSubmit).ToList();
        Assert.Equal(["dmar1", "dmar1", "dmar2"], qi.Select(x => x.Device));
        Assert.Equal(32 * 4096L, qi[2].Size);
        var d = QiDescriptor.Decode((ulong)qi[2].Aux, 0xf9a00005);
        Assert.Equal(("iotlb_inv", 8, 3, 0xf9a00000UL, 5), (d.TypeName, d.DomainId, d.Granularity, d.Address, d.AddressMask));
        var d0 = QiDescriptor.Decode((ulong)qi[0].Aux, 0);
        Assert.Equal((1, 2, true), (d0.DomainId, d0.Granularity, d0.IsDomainWide));
        Assert.Equal("dev_tlb_inv", QiDescriptor.Decode((ulong)qi[1].Aux, 0).TypeName);
        var flush = rows.Where(x => x.Kind == HostEventKind.Flush).ToList();
        Assert.Equal(("0000:8a:00.0", 7L, 0L, 0L), (flush[0].Device, flush[0].Value, flush[0].Aux, flush[0].Size));
        Assert.Equal(("0000:00:1b.0", 9L, 1L, 0x20 * 4096L), (flush[1].Device, flush[1].Value, flush[1].Aux, flush[1].Size));
        var tx = rows.Single(x => x.Kind == HostEventKind.Tx);
        Assert.Equal(("eth5", 67L, 0L), (tx.Device, tx.Size, tx.Value));
        Assert.Equal(53, rows.Single(x => x.Kind == HostEventKind.Rx).Size);
        var dma = rows.Where(x => x.Device == "0000:01:00.0").ToList();
        Assert.Equal([HostEventKind.Map, HostEventKind.Unmap], dma.Select(x => x.Kind));
        Assert.Equal((0x1f000L, 4096L), (dma[0].Value, dma[0].Size));
        var q = sink.Rows<QuarantineRecord>();
        Assert.Contains(q, x => x.Reason.Contains("iommu:map", StringComparison.Ordinal) && x.Raw.Contains("0xZZZZ", StringComparison.Ordinal));
        Assert.Contains(q, x => x.Reason.Contains("not a trace line", StringComparison.Ordinal));
    }

    [Fact]
    public void Perf_script_lines_carry_the_system_prefix_callchains_count_as_nothing_and_the_header_names_the_host()
    {
        var (r, sink) = Run(Golden("trace", "perf-script.txt"), host: null);
        Assert.Equal(Formats.PerfScript, r.Format);
        Assert.Equal((5L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var rows = sink.Rows<HostEventRow>();
        Assert.All(rows, x => Assert.Equal("trade-07", x.Host));
        Assert.Equal(("enp10s0f0", 1500L, 8, 731_946_506_000L), (rows[0].Device, rows[0].Size, rows[0].Cpu, rows[0].TsNs));
        Assert.Equal(129492, rows[1].Size);
        Assert.Equal(HostEventKind.Map, rows[2].Kind);
        Assert.Equal(("eth0", 16L, 64L), (rows[3].Device, rows[3].Value, rows[3].Aux));
        Assert.Equal(HostEventKind.QiSubmit, rows[4].Kind);
    }

    [Fact]
    public void Trace_cmd_report_with_padded_event_names_and_fused_latency_columns_parses()
    {
        var (r, sink) = Run(Golden("trace", "trace-cmd.txt"));
        Assert.Equal(Formats.TraceCmd, r.Format);
        Assert.Equal((2L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var rows = sink.Rows<HostEventRow>();
        Assert.Equal(("eth1", 64L, 64L, 1), (rows[0].Device, rows[0].Value, rows[0].Aux, rows[0].Cpu));
        Assert.Equal(("eth1", 84L, 1), (rows[1].Device, rows[1].Size, rows[1].Cpu));
    }

    [Fact]
    public void Old_kernel_map_and_unmap_layouts_without_the_end_address_parse()
    {
        var text = "  a-1 [000] .... 1.000000: map: IOMMU: iova=0x0000000ffff36000 paddr=0x0000000080000000 size=4096\n"
            + "  a-1 [000] .... 1.000001: unmap: IOMMU: iova=0x0000000ffff36000 size=4096 unmapped_size=4096\n";
        var (r, sink) = RunText("old.trace", text);
        Assert.Equal(2, r.Records);
        Assert.Equal(0xffff36000L, sink.Rows<HostEventRow>()[0].Value);
        Assert.Equal(4096, sink.Rows<HostEventRow>()[1].Aux);
    }

    [Fact]
    public void Host_data_without_a_host_is_an_input_error_naming_the_file()
    {
        var (r, sink) = Run(Golden("trace", "ftrace-ath12k.trace"), host: null);
        Assert.NotNull(r.Error);
        Assert.Contains("ftrace-ath12k.trace", r.Error, StringComparison.Ordinal);
        Assert.Empty(sink.Rows<HostEventRow>());
        Assert.Empty(sink.Rows<IngestFile>());
    }
}
