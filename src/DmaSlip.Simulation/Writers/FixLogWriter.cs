using System.Text;
using DmaSlip.Simulation.Execution;
using DmaSlip.Simulation.Market;

namespace DmaSlip.Simulation.Writers;

/// <summary>
/// FIX 4.4 log of one host's order sessions, one message per line: <c>YYYYMMDD-HH:MM:SS.nnnnnnnnn : </c> then the
/// SOH-delimited message with correct BodyLength(9) and CheckSum(10). The prefix is the wire time of outbound
/// messages and the receive time of inbound ones; TransactTime(60) is the decision time on D/G/F and the venue's
/// event time on execution reports. The parent id travels in ClOrdLinkID(583).
/// </summary>
internal static class FixLogWriter
{
    private const char Soh = '\u0001';

    public static void Write(string path, string host, IEnumerable<FixEvent> events, IReadOnlyList<Execution.ParentSpec> parents, IReadOnlyList<MarketTape> tapes)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.NewLine = "\n";
        var ours = "DMASLIP-" + host.ToUpperInvariant();
        const string venue = "XSIMVENUE";
        int outSeq = 1, inSeq = 1;
        var body = new StringBuilder(256);
        foreach (var e in events)
        {
            var p = parents[e.Parent];
            var tape = tapes[p.Symbol];
            var clOrd = $"{p.Id}-{e.ClOrd}";
            body.Clear();
            var outbound = e.MsgType != '8';
            Tag(body, 35, e.MsgType.ToString());
            Tag(body, 49, outbound ? ours : venue);
            Tag(body, 56, outbound ? venue : ours);
            Tag(body, 34, (outbound ? outSeq++ : inSeq++).ToString(Fmt.Inv));
            Tag(body, 52, Fmt.FixTime(outbound ? e.LogNs : e.TransactNs));
            if (!outbound)
            {
                Tag(body, 37, $"O{p.Index + 1}-{e.Child}");
            }
            Tag(body, 11, clOrd);
            if (e.OrigClOrd > 0)
            {
                Tag(body, 41, $"{p.Id}-{e.OrigClOrd}");
            }
            Tag(body, 583, p.Id);
            if (!outbound)
            {
                Tag(body, 17, $"E{p.Index + 1}-{e.ExecSeq}");
                Tag(body, 150, e.ExecType.ToString());
                Tag(body, 39, e.OrdStatus.ToString());
            }
            Tag(body, 55, tape.Symbol);
            Tag(body, 54, p.Side > 0 ? "1" : "2");
            Tag(body, 38, e.OrderQty.ToString(Fmt.Inv));
            Tag(body, 40, "2");
            Tag(body, 44, Fmt.Px(tape.Px(e.PriceTick)));
            Tag(body, 59, e.Ioc ? "3" : "0");
            if (!outbound)
            {
                if (e.ExecType == 'F')
                {
                    Tag(body, 32, e.LastQty.ToString(Fmt.Inv));
                    Tag(body, 31, Fmt.Px(tape.Px(e.LastPxTick)));
                    Tag(body, 851, e.Liquidity.ToString(Fmt.Inv));
                }
                Tag(body, 14, e.CumQty.ToString(Fmt.Inv));
                Tag(body, 151, e.LeavesQty.ToString(Fmt.Inv));
                if (e.ExecType == '8')
                {
                    Tag(body, 58, "Too late to replace");
                }
            }
            Tag(body, 60, Fmt.FixTime(e.TransactNs));
            w.Write(Fmt.FixTime(e.LogNs));
            w.Write(" : ");
            w.WriteLine(Message(body.ToString()));
        }
    }

    private static void Tag(StringBuilder b, int tag, string value) => b.Append(tag.ToString(Fmt.Inv)).Append('=').Append(value).Append(Soh);

    /// <summary>Wraps a body (from 35= on) with BeginString, BodyLength and CheckSum.</summary>
    public static string Message(string body)
    {
        var head = "8=FIX.4.4" + Soh + "9=" + Encoding.ASCII.GetByteCount(body).ToString(Fmt.Inv) + Soh;
        var sum = 0;
        foreach (var c in head)
        {
            sum += c;
        }
        foreach (var c in body)
        {
            sum += c;
        }
        return head + body + "10=" + (sum % 256).ToString("D3", Fmt.Inv) + Soh;
    }
}
