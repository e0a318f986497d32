using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Fix;

/// <summary>
/// FIX 4.2/4.4 logs, one message per line, SOH or '|' delimited, optionally after a log prefix
/// <c>YYYYMMDD-HH:MM:SS.f : </c> (the wire/receive time) → <c>order_events</c>. NewOrderSingle/Replace/Cancel give a
/// <c>decision</c> event at TransactTime(60) and a <c>send</c>/<c>replace</c>/<c>cancel</c> at the prefix time (else
/// SendingTime 52). ExecutionReports give ack/replace_ack/cancel_ack/fill/reject/expire at the prefix time by ExecType
/// (150; 4.2's 1/2 and 4.4's F are fills). A duplicate is the same message again: an ExecutionReport whose order,
/// execution and quantities (<see cref="FixSignature"/>) equal an earlier one's, or a PossDupFlag(43)/PossResend(97)
/// message whose ExecID (orders: ClOrdID) was seen; duplicates, session messages, pending/status/restatement reports and
/// 4.2 ExecTransType cancel/correct/status are skipped. Venues reuse ExecIDs per order and test gateways over partial
/// fills, so a reused ExecID with other content lands, with a warning. No two rows share the store key (ClOrdID, kind,
/// time, ExecID): a reused ExecID whose fill would collide is stored as <c>ExecID#n</c>, any other repeat is skipped
/// with a warning, so the records counted are the rows stored. Children are ClOrdID chains
/// (OrigClOrdID 41 → the root ClOrdID is the child id); the parent id is ClOrdLinkID (583) of the NewOrderSingle.
/// </summary>
internal sealed class FixParser : IFormatParser
{
    private readonly Dictionary<string, Child> _byClOrdId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _execIds = new(StringComparer.Ordinal);
    private readonly HashSet<UInt128> _reports = [];
    private readonly HashSet<(string ClOrdId, OrderEventKind Kind, long Ts, string ExecId)> _keys = [];
    private UInt128 _signature;
    private long _offset;

    private sealed record Child(string ParentId, string ChildId, string Venue, double Price, long Qty);

    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input);
        Span<Range> slots = stackalloc Range[FixMessage.Tags.Length];
        while (reader.TryRead(out var line, out var offset, out var overlong))
        {
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            var start = t.IndexOf("8=FIX"u8);
            if (overlong || start < 0)
            {
                ctx.Quarantine(offset, "not a FIX message (no 8=FIX)", line);
                continue;
            }
            long? prefixTs = null;
            var prefix = Ascii.Trim(t[..start]);
            if (prefix.Length > 0 && prefix[^1] == ':')
            {
                prefix = Ascii.Trim(prefix[..^1]);
            }
            if (prefix.Length > 0 && FixTime.TryParse(prefix, out var p))
            {
                prefixTs = p;
            }
            if (!FixMessage.TryParse(t[start..], slots, out var m) || !m.Has(35))
            {
                ctx.Quarantine(offset, "FIX: malformed field list or no MsgType(35)", line);
                continue;
            }
            _offset = offset;
            _signature = m[35].SequenceEqual("8"u8) ? FixSignature.Of(t[start..]) : default;
            var reason = Handle(m, prefixTs, ctx);
            if (reason is not null)
            {
                ctx.Quarantine(offset, reason, line);
            }
        }
    }

    /// <summary>Returns null when the message was counted (record or skipped), else the quarantine reason.</summary>
    private string? Handle(FixMessage m, long? prefixTs, FileContext ctx)
    {
        var type = m[35];
        if (type.Length == 1 && type[0] is (byte)'0' or (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'A')
        {
            ctx.Skip();
            return null;
        }
        long wireTs;
        if (prefixTs is { } pt)
        {
            wireTs = pt;
        }
        else if (!FixTime.TryParse(m[52], out wireTs))
        {
            return "FIX: no log-prefix time and no valid SendingTime(52)";
        }
        long? transact = null;
        if (m.Has(60))
        {
            if (!FixTime.TryParse(m[60], out var tt))
            {
                return "FIX: TransactTime(60) is not YYYYMMDD-HH:MM:SS[.f]";
            }
            transact = tt;
        }
        if (type.Length != 1)
        {
            ctx.Skip();
            return null;
        }
        return type[0] switch
        {
            (byte)'D' => Order(m, wireTs, transact, OrderEventKind.Send, ctx),
            (byte)'G' => Order(m, wireTs, transact, OrderEventKind.Replace, ctx),
            (byte)'F' => Order(m, wireTs, transact, OrderEventKind.Cancel, ctx),
            (byte)'8' => Execution(m, wireTs, ctx),
            (byte)'9' => CancelReject(m, wireTs, ctx),
            _ => SkipIt(ctx),
        };
    }

    private static string? SkipIt(FileContext ctx)
    {
        ctx.Skip();
        return null;
    }

    private string? Order(FixMessage m, long wireTs, long? transact, OrderEventKind kind, FileContext ctx)
    {
        var clOrdId = m[11];
        if (PossDup(m) && !clOrdId.IsEmpty && _byClOrdId.ContainsKey(Ascii.Text(clOrdId)))
        {
            ctx.Skip(); // a resend of an order already seen
            return null;
        }
        if (clOrdId.IsEmpty || (kind != OrderEventKind.Send && !m.Has(41)))
        {
            return kind == OrderEventKind.Send ? "FIX NewOrderSingle: no ClOrdID(11)" : "FIX cancel/replace: needs ClOrdID(11) and OrigClOrdID(41)";
        }
        if (kind == OrderEventKind.Send && (!m.Has(55) || !m.Has(54) || !Ascii.TryLong(m[38], out _)))
        {
            return "FIX NewOrderSingle: needs Symbol(55), Side(54), OrderQty(38)";
        }
        var price = 0.0;
        if (m.Has(44) && !Ascii.TryDouble(m[44], out price))
        {
            return "FIX: Price(44) is not a number";
        }
        long qty = 0;
        if (m.Has(38) && !Ascii.TryLong(m[38], out qty))
        {
            return "FIX: OrderQty(38) is not an integer";
        }
        var id = ctx.Strings.Get(clOrdId);
        string? orig = null;
        Child child;
        if (kind == OrderEventKind.Send)
        {
            var venue = m.Has(100) ? m[100] : m[56];
            child = new Child(Ascii.Text(m[583]), id, ctx.Strings.Get(venue), price, qty);
        }
        else
        {
            orig = Ascii.Text(m[41]);
            child = _byClOrdId.TryGetValue(orig, out var prev)
                ? prev with { Price = m.Has(44) ? price : prev.Price, Qty = m.Has(38) ? qty : prev.Qty }
                : new Child(Ascii.Text(m[583]), orig, ctx.Strings.Get(m[56]), price, qty);
        }
        _byClOrdId[id] = child;
        var host = ctx.RequireHost();
        if (!_keys.Add((id, kind, wireTs, "")))
        {
            ctx.Warn(_offset, $"FIX: ClOrdID {id} has a second {kind} at the same time; skipped as a repeat");
            ctx.Skip();
            return null;
        }
        if (transact is { } decision && _keys.Add((id, OrderEventKind.Decision, decision, "")))
        {
            ctx.Add(new OrderEvent(decision, child.ParentId, child.ChildId, id, orig, OrderEventKind.Decision, child.Price, child.Qty, child.Venue, host, -1, Liquidity.Unknown, ""));
        }
        ctx.Add(new OrderEvent(wireTs, child.ParentId, child.ChildId, id, orig, kind, child.Price, child.Qty, child.Venue, host, -1, Liquidity.Unknown, ""));
        ctx.Record();
        return null;
    }

    private static bool PossDup(FixMessage m) => m[43].SequenceEqual("Y"u8) || m[97].SequenceEqual("Y"u8);

    private string? Execution(FixMessage m, long ts, FileContext ctx)
    {
        var execType = m[150];
        var clOrdId = m[11];
        if (execType.Length != 1 || clOrdId.IsEmpty)
        {
            return "FIX ExecutionReport: needs ExecType(150) and ClOrdID(11)";
        }
        if (!_reports.Add(_signature) || (PossDup(m) && m.Has(17) && _execIds.ContainsKey(Ascii.Text(m[17]))))
        {
            ctx.Skip(); // the same report again (a log that repeats it, or a PossDup/PossResend of one seen)
            return null;
        }
        var transType = m[20];
        if (transType.Length == 1 && transType[0] != '0')
        {
            ctx.Skip(); // FIX 4.2 ExecTransType cancel/correct/status
            return null;
        }
        OrderEventKind kind;
        switch (execType[0])
        {
            case (byte)'0': kind = OrderEventKind.Ack; break;
            case (byte)'5': kind = OrderEventKind.ReplaceAck; break;
            case (byte)'4': kind = OrderEventKind.CancelAck; break;
            case (byte)'1' or (byte)'2' or (byte)'F': kind = OrderEventKind.Fill; break;
            case (byte)'8': kind = OrderEventKind.Reject; break;
            case (byte)'C' or (byte)'3': kind = OrderEventKind.Expire; break;
            default:
                ctx.Skip(); // pending new/cancel/replace, status, restated, trade correct/cancel, ...
                return null;
        }
        var execId = "";
        var price = 0.0;
        long qty = 0;
        var liquidity = Liquidity.Unknown;
        if (kind == OrderEventKind.Fill)
        {
            if (!m.Has(17) || !Ascii.TryDouble(m[31], out price) || !Ascii.TryLong(m[32], out qty))
            {
                return "FIX fill: needs ExecID(17), LastPx(31), LastQty(32)";
            }
            execId = Ascii.Text(m[17]);
            var uses = _execIds.GetValueOrDefault(execId) + 1;
            _execIds[execId] = uses;
            if (uses > 1)
            {
                ctx.Warn(_offset, $"FIX: ExecID {execId} reused with other content (use {uses}); landed as a fill of its own");
            }
            liquidity = m[851] switch
            {
                [(byte)'1'] => Liquidity.Passive,
                [(byte)'2'] => Liquidity.Aggressive,
                _ => Liquidity.Unknown,
            };
        }
        var id = ctx.Strings.Get(clOrdId);
        var orig = m.Has(41) ? Ascii.Text(m[41]) : null;
        var child = Resolve(id, orig, m, ctx);
        if (kind != OrderEventKind.Fill)
        {
            price = m.Has(44) && Ascii.TryDouble(m[44], out var p) ? p : child.Price;
            qty = m.Has(38) && Ascii.TryLong(m[38], out var q) ? q : child.Qty;
        }
        var venue = m.Has(30) ? ctx.Strings.Get(m[30]) : child.Venue;
        if (!_keys.Add((id, kind, ts, execId)))
        {
            if (kind != OrderEventKind.Fill)
            {
                ctx.Warn(_offset, $"FIX: ClOrdID {id} has a second {kind} report at the same time; skipped as a repeat");
                ctx.Skip();
                return null;
            }
            // a reused ExecID on the same order at the same time: a name of its own so that the store keeps both
            var n = 2;
            while (!_keys.Add((id, kind, ts, execId + "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                n++;
            }
            execId += "#" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ctx.Warn(_offset, $"FIX: fill stored with ExecID {execId}: its ExecID, order and time equal an earlier fill's");
        }
        ctx.Add(new OrderEvent(ts, child.ParentId, child.ChildId, id, orig, kind, price, qty, venue, ctx.RequireHost(), -1, liquidity, execId));
        ctx.Record();
        return null;
    }

    private string? CancelReject(FixMessage m, long ts, FileContext ctx)
    {
        if (!m.Has(11))
        {
            return "FIX OrderCancelReject: needs ClOrdID(11)";
        }
        var id = ctx.Strings.Get(m[11]);
        var orig = m.Has(41) ? Ascii.Text(m[41]) : null;
        var child = Resolve(id, orig, m, ctx);
        if (!_keys.Add((id, OrderEventKind.Reject, ts, "")))
        {
            ctx.Skip(); // the same reject again
            return null;
        }
        ctx.Add(new OrderEvent(ts, child.ParentId, child.ChildId, id, orig, OrderEventKind.Reject, child.Price, child.Qty, child.Venue, ctx.RequireHost(), -1, Liquidity.Unknown, ""));
        ctx.Record();
        return null;
    }

    private Child Resolve(string id, string? orig, FixMessage m, FileContext ctx)
    {
        if (_byClOrdId.TryGetValue(id, out var c) || (orig is not null && _byClOrdId.TryGetValue(orig, out c)))
        {
            return c;
        }
        // a report for an order this log never sent: it is its own child
        c = new Child(Ascii.Text(m[583]), orig ?? id, ctx.Strings.Get(m[56]), 0, 0);
        _byClOrdId[id] = c;
        return c;
    }
}
