using DmaSlip.Core.Domain;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>A FIX duplicate is the same message again; a reused ExecID with other content is a fill of its own.</summary>
public class FixDuplicateTests
{
    private const string Order = "8=FIX.4.2|9=90|35=D|49=ENG|56=GW|34=2|52=20240301-09:30:00.000|11=O1|55=ABC|54=1|38=300|40=2|44=10.5|60=20240301-09:30:00.000|\n";

    private static string Fill(int seq, string time, string execId, string clOrdId, int lastQty, int cumQty, string extra = "") =>
        $"8=FIX.4.2|9=120|35=8|49=GW|56=ENG|34={seq}|52={time}|{extra}11={clOrdId}|37=X{clOrdId}|17={execId}|20=0|150=1|39=1|31=10.5|32={lastQty}|14={cumQty}|\n";

    [Fact]
    public void A_test_gateway_reusing_one_ExecID_over_partial_fills_lands_every_fill_with_a_warning_each()
    {
        var text = Order
            + Fill(3, "20240301-09:30:01.000", "E-1", "O1", 100, 100)
            + Fill(4, "20240301-09:30:02.000", "E-1", "O1", 50, 150)
            + Fill(5, "20240301-09:30:03.000", "E-1", "O1", 150, 300);
        var (r, sink) = RunText("gw.fix.log", text, host: "h");
        Assert.Equal((4L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var fills = sink.Rows<OrderEvent>().Where(e => e.Kind == OrderEventKind.Fill).ToList();
        Assert.Equal([100L, 50L, 150L], fills.Select(f => f.Qty));
        Assert.Equal(2, r.WarningCount);
        Assert.All(r.Warnings, w => Assert.Contains("ExecID E-1 reused", w, StringComparison.Ordinal));
    }

    [Fact]
    public void A_venue_reusing_ExecIDs_per_order_lands_the_fills_of_every_order()
    {
        var text = Order + Order.Replace("11=O1", "11=O2", StringComparison.Ordinal).Replace("34=2", "34=3", StringComparison.Ordinal)
            + Fill(4, "20240301-09:30:01.000", "1", "O1", 100, 100)
            + Fill(5, "20240301-09:30:01.000", "1", "O2", 100, 100);
        var (r, sink) = RunText("gw.fix.log", text, host: "h");
        Assert.Equal((4L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        Assert.Equal(["O1", "O2"], sink.Rows<OrderEvent>().Where(e => e.Kind == OrderEventKind.Fill).Select(f => f.ClOrdId));
    }

    [Fact]
    public void The_same_report_again_or_a_PossDup_or_PossResend_of_a_seen_ExecID_is_skipped_but_an_unseen_resend_lands()
    {
        var text = Order
            + Fill(3, "20240301-09:30:01.000", "E1", "O1", 100, 100)
            + Fill(7, "20240301-09:30:05.000", "E1", "O1", 100, 100) // logged twice: only session fields differ
            + Fill(3, "20240301-09:30:06.000", "E1", "O1", 100, 100, "43=Y|122=20240301-09:30:01.000|")
            + Fill(3, "20240301-09:30:06.000", "E1", "O1", 100, 100, "97=Y|")
            + Fill(9, "20240301-09:30:07.000", "E2", "O1", 200, 300, "97=Y|"); // the original never reached this log
        var (r, sink) = RunText("gw.fix.log", text, host: "h");
        Assert.Equal((3L, 3L, 0L), (r.Records, r.Skipped, r.Quarantined));
        Assert.Equal(["E1", "E2"], sink.Rows<OrderEvent>().Where(e => e.Kind == OrderEventKind.Fill).Select(f => f.ExecId));
        Assert.Equal(0, r.WarningCount);
    }

    [Fact]
    public void Two_different_fills_with_one_ExecID_on_one_order_in_the_same_instant_get_distinct_store_keys()
    {
        var text = Order
            + "20240301-09:30:01.000 : " + Fill(3, "20240301-09:30:01.000", "E1", "O1", 100, 100)
            + "20240301-09:30:01.000 : " + Fill(4, "20240301-09:30:01.000", "E1", "O1", 60, 160);
        var (r, sink) = RunText("gw.fix.log", text, host: "h");
        Assert.Equal((3L, 0L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var fills = sink.Rows<OrderEvent>().Where(e => e.Kind == OrderEventKind.Fill).ToList();
        Assert.Equal(["E1", "E1#2"], fills.Select(f => f.ExecId));
        var keys = sink.Rows<OrderEvent>().Select(e => (e.ClOrdId, e.Kind, e.TsNs, e.ExecId)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
