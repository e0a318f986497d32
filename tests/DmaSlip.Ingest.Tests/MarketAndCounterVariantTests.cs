using DmaSlip.Core.Domain;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>Old-kernel softnet_stat, LEAN forex/CFD and one-sided equity quotes, legacy DBZ, non-finite frames.</summary>
public class MarketAndCounterVariantTests
{
    [Fact]
    public void Softnet_stat_of_an_old_kernel_with_9_columns_is_read_with_the_cpu_from_line_order()
    {
        const string text = "0000a1b2 00000000 00000003 00000000 00000000 00000000 00000000 00000000 00000000\n"
            + "00000010 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n";
        var (r, sink) = RunText("softnet_stat", text, ts: 5);
        Assert.Equal(Formats.SoftnetStat, r.Format);
        Assert.Equal((2L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        Assert.Equal(0xa1b2, c.Single(x => x.Device == "cpu0" && x.Name == "processed").Value);
        Assert.Equal(1, c.Single(x => x.Device == "cpu1" && x.Name == "dropped").Value);
        Assert.DoesNotContain(c, x => x.Name == "received_rps");
    }

    [Fact]
    public void LEAN_forex_quote_ticks_have_real_prices_no_sizes_and_the_market_folder_as_venue()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "forex", "oanda", "tick", "eurusd")).FullName;
        var path = Path.Combine(folder, "20140501_eurusd_tick_quote.csv");
        File.WriteAllText(path, "34200000,1.38612,1.38626\n34200500,1.38615,1.38627\n34201000,x,1.3\n");
        var (r, sink) = Run(path);
        Assert.Equal(Formats.LeanQuote, r.Format);
        Assert.Equal((2L, 0L, 1L), (r.Records, r.Skipped, r.Quarantined));
        var q = sink.Rows<Quote>()[0];
        Assert.Equal(("EURUSD", "oanda", 1.38612, 1.38626, 0L), (q.Symbol, q.Venue, q.BidPx, q.AskPx, q.BidSize));
        Assert.Contains(r.Warnings, w => w.Contains("no sizes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_LEAN_equity_quote_with_one_side_0_is_stored_as_it_is_and_said_in_a_warning()
    {
        const string text = "34200000,1000000,300,0,0,P,0,0\n"
            + "34200100,1000000,300,1000500,200,P,0,0\n"
            + "34200200,0,0,1000400,100,P,0,0\n";
        var (r, sink) = RunText("20131007_ibm_quote.csv", text);
        Assert.Equal((3L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var q = sink.Rows<Quote>();
        Assert.Equal((100.0, 300L, 0.0, 0L), (q[0].BidPx, q[0].BidSize, q[0].AskPx, q[0].AskSize));
        Assert.Contains(r.Warnings, w => w.Contains("2 quote(s) have one side 0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_legacy_Databento_dbz_file_gets_a_clear_unsupported_error_naming_the_dbn_tools()
    {
        byte[] dbz = [0x50, 0x2A, 0x4D, 0x18, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        var (r, _) = RunBytes("glbx.mbo.dbz", dbz, format: null!);
        Assert.Contains("legacy Databento DBZ is unsupported", r.Error, StringComparison.Ordinal);
        Assert.Contains("dbn", r.Error, StringComparison.Ordinal);
        var (forced, _) = RunBytes("x.bin", dbz, Formats.DbnMbo);
        Assert.Contains("legacy Databento DBZ is unsupported", forced.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_with_NaN_infinite_values_or_a_non_positive_window_are_quarantined_with_the_reason()
    {
        const string header = "host,device,queue,window_start_ns,window_ns,flush_rate,flush_burst_q50,flush_burst_q95,flush_burst_q99,map_rate,unmap_rate,iotlb_miss_ratio,inv_latency_q50_ns,inv_latency_q99_ns,dma_latency_q50_ns,dma_latency_q99_ns,ring_oscillation,napi_poll_variance_us2,napi_saturation_share,numa_local_share,rx_cadence_cv,tx_cadence_cv,events\n";
        const string good = "h1,eth0,0,1000,100000000,5,1,2,3,10,10,,,,,,,,,,,,7\n";
        var text = header + good
            + "h1,eth0,1,1000,100000000,NaN,1,2,3,10,10,,,,,,,,,,,,7\n"
            + "h1,eth0,2,1000,100000000,5,1,2,3,10,10,Infinity,,,,,,,,,,,7\n"
            + "h1,eth0,3,1000,-100000000,5,1,2,3,10,10,,,,,,,,,,,,7\n";
        var (r, sink) = RunText("frames.csv", text);
        Assert.Equal(Formats.CanonicalCsv, r.Format);
        Assert.Equal((1L, 0L, 3L), (r.Records, r.Skipped, r.Quarantined));
        var reasons = sink.Rows<QuarantineRecord>().Select(q => q.Reason).ToList();
        Assert.Contains(reasons, x => x.Contains("flush_rate", StringComparison.Ordinal) && x.Contains("not a finite number", StringComparison.Ordinal));
        Assert.Contains(reasons, x => x.Contains("iotlb_miss_ratio", StringComparison.Ordinal) && x.Contains("not a finite number", StringComparison.Ordinal));
        Assert.Contains(reasons, x => x.Contains("window_ns", StringComparison.Ordinal) && x.Contains("must be > 0", StringComparison.Ordinal));
    }
}
