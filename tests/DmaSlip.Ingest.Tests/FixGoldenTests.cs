using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Fix;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

public class FixGoldenTests
{
    private static long Ts(string s) => FixTime.TryParse(System.Text.Encoding.ASCII.GetBytes(s), out var ns) ? ns : throw new FormatException(s);

    [Fact]
    public void A_prefixed_SOH_log_rebuilds_the_lifecycle_from_ClOrdID_chains_with_decision_and_wire_times()
    {
        var (r, sink) = Run(Golden("fix", "engine.fix.log"), host: "eng-3");
        Assert.Equal(Formats.Fix, r.Format);
        // 14 lines: logon, heartbeat, PossDup, duplicate ExecID = 4 skipped; bad fill + garbage = 2 quarantined
        Assert.Equal((8L, 4L, 2L), (r.Records, r.Skipped, r.Quarantined));
        var e = sink.Rows<OrderEvent>();
        Assert.Equal(
            [OrderEventKind.Decision, OrderEventKind.Send, OrderEventKind.Ack, OrderEventKind.Fill, OrderEventKind.Decision, OrderEventKind.Replace,
             OrderEventKind.ReplaceAck, OrderEventKind.Fill, OrderEventKind.Decision, OrderEventKind.Cancel, OrderEventKind.CancelAck],
            e.Select(x => x.Kind));
        Assert.All(e, x => Assert.Equal(("P1", "C1", "eng-3"), (x.ParentId, x.ChildId, x.Host)));
        Assert.Equal(Ts("20260105-14:30:01.000000500"), e[0].TsNs);
        Assert.Equal(Ts("20260105-14:30:01.000002000"), e[1].TsNs);
        Assert.Equal(500, e[0].TsNs % 1000);
        Assert.Equal((181.52, 300L, "XNAS"), (e[1].Price, e[1].Qty, e[1].Venue));
        Assert.Equal(("E1", 100L, Liquidity.Passive), (e[3].ExecId, e[3].Qty, e[3].Liquidity));
        Assert.Equal(("C2", "C1", 181.55, 200L), (e[5].ClOrdId, e[5].OrigClOrdId, e[5].Price, e[5].Qty));
        Assert.Equal(Liquidity.Aggressive, e[7].Liquidity);
        Assert.Equal(("C3", "C2"), (e[9].ClOrdId, e[9].OrigClOrdId));
        Assert.Equal(Ts("20260105-14:30:03.9"), e[8].TsNs);
    }

    [Fact]
    public void A_FIX_42_pipe_log_without_prefix_uses_SendingTime_and_its_partial_and_fill_ExecTypes()
    {
        var (r, sink) = Run(Golden("fix", "fix42-pipe.log"), host: "h");
        Assert.Equal((3L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var e = sink.Rows<OrderEvent>();
        Assert.Equal([OrderEventKind.Decision, OrderEventKind.Send, OrderEventKind.Fill, OrderEventKind.Fill], e.Select(x => x.Kind));
        Assert.Equal(Ts("20180109-07:01:02.905"), e[2].TsNs);
        Assert.Equal(Ts("20180109-07:01:03.905123"), e[3].TsNs);
        Assert.Equal(("", "X1", 80L), (e[3].ParentId, e[3].ChildId, e[3].Qty));
    }

    [Theory]
    [InlineData("20260105-14:30:01", 0)]
    [InlineData("20260105-14:30:01.123", 123_000_000)]
    [InlineData("20260105-14:30:01.123456", 123_456_000)]
    [InlineData("20260105-14:30:01.123456789", 123_456_789)]
    [InlineData("20260105-14:30:01.123456789012", 123_456_789)]
    public void FIX_timestamps_keep_0_3_6_and_9_fraction_digits_to_the_nanosecond(string text, long fracNs)
    {
        Assert.Equal(Time.FromDate(2026, 1, 5) + 14 * Time.NanosPerHour + 30 * Time.NanosPerMinute + Time.NanosPerSecond + fracNs, Ts(text));
    }

    [Fact]
    public void The_host_of_a_FIX_log_comes_from_its_fix_folder_name()
    {
        using var dir = new DmaSlip.Testing.TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "fix"));
        var path = Path.Combine(dir.Path, "fix", "ny4-07.fix.log");
        File.Copy(Golden("fix", "engine.fix.log"), path);
        var (r, sink) = Run(path, host: null);
        Assert.Null(r.Error);
        Assert.All(sink.Rows<OrderEvent>(), x => Assert.Equal("ny4-07", x.Host));
    }
}
