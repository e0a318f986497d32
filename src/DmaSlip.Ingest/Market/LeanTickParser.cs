using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Market;

/// <summary>
/// QuantConnect LEAN equity tick CSV (in its zip): quotes <c>ms_since_midnight_NY,bid,bid_size,ask,ask_size,exchange,
/// condition,suspicious</c> and trades <c>ms,price,size,exchange,sale_condition,suspicious</c>; prices in deci-cents
/// (/10,000 = dollars), times New York local on the date in the file name. Symbol from the entry or folder name.
/// An equity quote with one side 0 (LEAN's "this side did not change"; real LEAN equity ticks are all one-sided) is
/// stored as it is and counted in one warning: readers carry that side's last price forward, as LEAN does. Forex and CFD quote
/// ticks are <c>ms,bid,ask</c> in real prices with no sizes: sizes are stored as 0 (said in a warning), venue = the
/// market folder (<c>forex/oanda/tick/...</c> → oanda).
/// Parsed on bytes rather than with Sep: a fixed unquoted numeric layout, and this is the bulk of the market data.
/// </summary>
internal sealed class LeanTickParser(bool quotes) : IFormatParser
{
    public void Parse(Stream input, FileContext ctx)
    {
        var name = Path.GetFileName(ctx.Path);
        if (!UsEastern.TryDateFromName(name, out var y, out var m, out var d))
        {
            throw new IngestException($"{ctx.Path}: LEAN tick files are named <yyyyMMdd>_{{quote,trade}}.zip; no date in the name");
        }
        var symbol = Symbol(ctx.Path);
        var date = UsEastern.OnDate(y, m, d);
        var midnight = date.ToUtcNs(0);
        var seqs = new Dictionary<string, (long Ts, int Seq)>(StringComparer.Ordinal);
        using var reader = new LineReader(input);
        Span<Range> parts = stackalloc Range[10];
        Span<long> nums = stackalloc long[5];
        var want = quotes ? 8 : 6;
        var fxVenue = FxVenue(ctx.Path);
        long oneSided = 0, fx = 0;
        while (reader.TryRead(out var line, out var offset, out _))
        {
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            if (TryPlain(t, quotes, nums, out var plainExchange, out var plainCond) && nums[0] < MaxMs)
            {
                var plainTs = nums[0] == 0 ? midnight : date.ToUtcNs(nums[0] * Time.NanosPerMilli);
                var plainVenue = ctx.Strings.Get(plainExchange);
                if (quotes)
                {
                    if (nums[1] == 0 || nums[3] == 0)
                    {
                        oneSided++;
                    }
                    ctx.Add(new Quote(plainTs, symbol, plainVenue, nums[1] / 10_000.0, nums[2], nums[3] / 10_000.0, nums[4], null, NextSeq(seqs, plainVenue, plainTs)));
                }
                else
                {
                    var plainCondition = plainCond.IsEmpty ? null : ctx.Strings.Get(plainCond);
                    ctx.Add(new Trade(plainTs, symbol, plainVenue, nums[1] / 10_000.0, nums[2], plainCondition, null, NextSeq(seqs, plainVenue, plainTs)));
                }
                ctx.Record();
                continue;
            }
            var n = Ascii.Split(t, parts, (byte)',');
            if (quotes && n == 3 && Ascii.TryLong(t[parts[0]], out var fxMs) && fxMs >= 0 && fxMs < MaxMs)
            {
                if (!Ascii.TryDouble(t[parts[1]], out var fxBid) || !Ascii.TryDouble(t[parts[2]], out var fxAsk) || !double.IsFinite(fxBid) || !double.IsFinite(fxAsk) || fxBid <= 0 || fxAsk <= 0)
                {
                    ctx.Quarantine(offset, "LEAN forex/CFD quote: bid and ask must be positive prices", line);
                    continue;
                }
                var fxTs = fxMs == 0 ? midnight : date.ToUtcNs(fxMs * Time.NanosPerMilli);
                ctx.Add(new Quote(fxTs, symbol, fxVenue, fxBid, 0, fxAsk, 0, null, NextSeq(seqs, fxVenue, fxTs)));
                fx++;
                ctx.Record();
                continue;
            }
            if (n != want || !Ascii.TryLong(t[parts[0]], out var ms) || ms < 0 || ms >= MaxMs)
            {
                ctx.Quarantine(offset, $"LEAN {(quotes ? "quote" : "trade")}: expected {want} comma-separated fields starting with ms since midnight", line);
                continue;
            }
            // DST-exact: convert the local time, not midnight + ms (they differ only on transition days, when markets are shut)
            var ts = ms == 0 ? midnight : date.ToUtcNs(ms * Time.NanosPerMilli);
            if (quotes)
            {
                if (!Ascii.TryLong(t[parts[1]], out var bid) || !Ascii.TryLong(t[parts[2]], out var bidSize)
                    || !Ascii.TryLong(t[parts[3]], out var ask) || !Ascii.TryLong(t[parts[4]], out var askSize) || t[parts[5]].IsEmpty)
                {
                    ctx.Quarantine(offset, "LEAN quote: bid/ask price and size must be integers, exchange non-empty", line);
                    continue;
                }
                if (bid == 0 || ask == 0)
                {
                    oneSided++; // LEAN's "this side did not change": stored as it is, said below
                }
                var venue = ctx.Strings.Get(t[parts[5]]);
                ctx.Add(new Quote(ts, symbol, venue, bid / 10_000.0, bidSize, ask / 10_000.0, askSize, null, NextSeq(seqs, venue, ts)));
            }
            else
            {
                if (!Ascii.TryLong(t[parts[1]], out var px) || !Ascii.TryLong(t[parts[2]], out var size) || t[parts[3]].IsEmpty)
                {
                    ctx.Quarantine(offset, "LEAN trade: price and size must be integers, exchange non-empty", line);
                    continue;
                }
                var venue = ctx.Strings.Get(t[parts[3]]);
                var cond = t[parts[4]].IsEmpty ? null : ctx.Strings.Get(t[parts[4]]);
                ctx.Add(new Trade(ts, symbol, venue, px / 10_000.0, size, cond, null, NextSeq(seqs, venue, ts)));
            }
            ctx.Record();
        }
        if (oneSided > 0)
        {
            ctx.Warn(0, $"LEAN quote: {oneSided} quote(s) have one side 0 (LEAN: that side did not change); stored as 0 — a reader carries the last price of that side forward, as LEAN does");
        }
        if (fx > 0)
        {
            ctx.Warn(0, $"LEAN forex/CFD quote: {fx} tick(s) carry no sizes; bid_size and ask_size are stored as 0 (not measured)");
        }
    }

    /// <summary>Milliseconds since midnight a row may carry: a day plus an hour (a session that runs past midnight).</summary>
    private const long MaxMs = (Time.NanosPerDay / Time.NanosPerMilli) + 3_600_000;

    /// <summary>
    /// The common equity row read in one pass without splitting it: its numeric fields (quotes: ms, bid, bid size, ask,
    /// ask size; trades: ms, price, size) plain digits, then a non-empty exchange, the condition and the suspicious flag
    /// (exactly two more commas). Gives what the general reader below gives for such a row (<c>LeanTickFastPathTests</c>
    /// compares them); false for any other row, which that reader then reads (and quarantines when it must).
    /// </summary>
    internal static bool TryPlain(ReadOnlySpan<byte> t, bool quotes, Span<long> nums, out ReadOnlySpan<byte> exchange, out ReadOnlySpan<byte> condition)
    {
        exchange = condition = default;
        var pos = 0;
        for (var i = 0; i < (quotes ? 5 : 3); i++)
        {
            long v = 0;
            var start = pos;
            while (pos < t.Length && (uint)(t[pos] - '0') <= 9)
            {
                v = (v * 10) + (t[pos] - '0');
                pos++;
            }
            if (pos == start || pos - start > 18 || pos >= t.Length || t[pos] != (byte)',')
            {
                return false;
            }
            nums[i] = v;
            pos++;
        }
        var rest = t[pos..];
        var c1 = rest.IndexOf((byte)',');
        if (c1 <= 0)
        {
            return false;
        }
        var after = rest[(c1 + 1)..];
        var c2 = after.IndexOf((byte)',');
        if (c2 < 0 || after[(c2 + 1)..].IndexOf((byte)',') >= 0)
        {
            return false;
        }
        exchange = rest[..c1];
        condition = after[..c2];
        return true;
    }

    // ".../forex/oanda/tick/eurusd/20140501_quote.zip" → oanda; else "otc"
    private static string FxVenue(string path)
    {
        var parts = Path.GetFullPath(path).Replace('\\', '/').Split('/');
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (parts[i] is "forex" or "cfd")
            {
                return parts[i + 1];
            }
        }
        return "otc";
    }

    private static int NextSeq(Dictionary<string, (long Ts, int Seq)> seqs, string venue, long ts)
    {
        var seq = seqs.TryGetValue(venue, out var last) && last.Ts == ts ? last.Seq + 1 : 0;
        seqs[venue] = (ts, seq);
        return seq;
    }

    // ".../ibm/20131007_quote.zip" → IBM; "20131007_ibm_Quote_Tick.csv" → IBM
    private static string Symbol(string path)
    {
        var parts = Path.GetFileNameWithoutExtension(path).Split('_');
        if (parts.Length >= 3 && parts[1].Length > 0 && !parts[1].Equals("quote", StringComparison.OrdinalIgnoreCase)
            && !parts[1].Equals("trade", StringComparison.OrdinalIgnoreCase))
        {
            return parts[1].ToUpperInvariant();
        }
        return (Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "UNKNOWN").ToUpperInvariant();
    }
}
