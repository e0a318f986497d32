using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Market;

/// <summary>
/// LOBSTER files (<c>TICKER_yyyy-MM-dd_start_end_{message,orderbook}_LEVELS.csv</c>). Messages
/// <c>time_s_after_midnight,type,order_id,size,price×10⁴,direction</c> → <c>market_book_events</c> with action
/// 1→A (submit), 2→C (partial cancel), 3→D (delete), 4→F (visible execution), 5→H (hidden execution), 6→X (cross),
/// 7→S (halt) and side 1→B, −1→A. Orderbook rows (ask px, ask size, bid px, bid size per level) carry no time: their
/// level 1 becomes <c>market_quotes</c> timed by the same line of the sibling message file. Venue NASDAQ; times are
/// New York local, exchange time (so ts_ns = exchange_ts_ns).
/// </summary>
internal sealed class LobsterParser(bool orderbook) : IFormatParser
{
    private const string Venue = "NASDAQ";

    public void Parse(Stream input, FileContext ctx)
    {
        var name = Path.GetFileName(ctx.Path);
        if (!UsEastern.TryDateFromName(name, out var y, out var m, out var d))
        {
            throw new IngestException($"{ctx.Path}: LOBSTER files are named TICKER_yyyy-MM-dd_..._{{message,orderbook}}_N.csv; no date in the name");
        }
        var symbol = name.Split('_')[0].ToUpperInvariant();
        if (orderbook)
        {
            ParseBook(input, ctx, symbol, y, m, d);
            return;
        }
        using var reader = new LineReader(input);
        Span<Range> p = stackalloc Range[8];
        var seq = 0;
        while (reader.TryRead(out var line, out var offset, out _))
        {
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            if (!TryMessage(t, p, y, m, d, out var ts, out var action, out var orderId, out var size, out var px, out var side))
            {
                ctx.Quarantine(offset, "LOBSTER message: expected time,type(1-7),order_id,size,price,direction(1|-1)", line);
                seq++;
                continue;
            }
            ctx.Add(new BookEvent(ts, symbol, Venue, action, side, px / 10_000.0, size, orderId, ts, seq++));
            ctx.Record();
        }
    }

    private static bool TryMessage(ReadOnlySpan<byte> t, Span<Range> p, int y, int m, int d, out long ts, out char action, out long orderId, out long size, out long px, out char side)
    {
        ts = orderId = size = px = 0;
        action = side = ' ';
        if (Ascii.Split(t, p, (byte)',') != 6 || !Ascii.TrySecondsToNs(t[p[0]], out var sinceMidnight) || !Ascii.TryInt(t[p[1]], out var type)
            || !Ascii.TryLong(t[p[2]], out orderId) || !Ascii.TryLong(t[p[3]], out size) || !Ascii.TryLong(t[p[4]], out px)
            || !Ascii.TryInt(t[p[5]], out var dir) || dir is not (1 or -1) || type is < 1 or > 7)
        {
            return false;
        }
        ts = UsEastern.ToUtcNs(y, m, d, sinceMidnight);
        action = "ACDFHXS"[type - 1];
        side = dir == 1 ? 'B' : 'A';
        return true;
    }

    private static void ParseBook(Stream input, FileContext ctx, string symbol, int y, int m, int d)
    {
        var messagePath = Path.Combine(Path.GetDirectoryName(ctx.Path) ?? ".", Path.GetFileName(ctx.Path).Replace("_orderbook_", "_message_", StringComparison.Ordinal));
        if (!File.Exists(messagePath))
        {
            throw new IngestException($"{ctx.Path}: a LOBSTER orderbook file is timed by its message file, {messagePath}, which is missing");
        }
        using var messages = new LineReader(File.OpenRead(messagePath));
        using var reader = new LineReader(input);
        Span<Range> p = stackalloc Range[8];
        Span<Range> b = stackalloc Range[4];
        var seq = 0;
        while (reader.TryRead(out var line, out var offset, out _))
        {
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            long ts = 0;
            var hasTime = messages.TryRead(out var msg, out _, out _)
                && TryMessage(Ascii.Trim(msg), p, y, m, d, out ts, out _, out _, out _, out _, out _);
            var n = Ascii.Split(t, b, (byte)',');
            if (!hasTime || n < 4 || !Ascii.TryLong(t[b[0]], out var ask) || !Ascii.TryLong(t[b[1]], out var askSize)
                || !Ascii.TryLong(t[b[2]], out var bid) || !Ascii.TryLong(t[b[3]][..Math.Max(0, FieldEnd(t[b[3]]))], out var bidSize))
            {
                ctx.Quarantine(offset, hasTime ? "LOBSTER orderbook: expected ask px, ask size, bid px, bid size per level" : "LOBSTER orderbook: no matching message line", line);
                seq++;
                continue;
            }
            // empty levels are printed as ±9999999999 with size 0: size 0 means the side is absent
            ctx.Add(new Quote(ts, symbol, Venue, bidSize == 0 ? 0 : bid / 10_000.0, bidSize, askSize == 0 ? 0 : ask / 10_000.0, askSize, ts, seq++));
            ctx.Record();
        }
    }

    private static int FieldEnd(ReadOnlySpan<byte> s)
    {
        var c = s.IndexOf((byte)',');
        return c < 0 ? s.Length : c;
    }
}
