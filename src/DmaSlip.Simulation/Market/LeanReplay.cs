using System.IO.Compression;
using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Market;

/// <summary>
/// Replays the real LEAN/AlgoSeek tick files (<c>&lt;sym&gt;/20131007_{quote,trade}.zip</c>): per-exchange quotes are
/// folded into a consolidated best bid/offer (best price across exchanges, sizes summed at that price), trades are
/// signed by comparing them to the prevailing mid (Lee–Ready quote rule). Times are ms since midnight New York
/// (EDT on 2013-10-07, UTC−4); prices are deci-cents (/10⁴ = dollars). Hand-parsed on spans: two fixed formats,
/// no quoting, and the simulator must stay free of the Ingest project that owns the real parser.
/// </summary>
internal static class LeanReplay
{
    public static readonly long DayUtcNs = Time.FromDate(2013, 10, 7);
    public static readonly long NyOffsetNs = 4 * Time.NanosPerHour;
    public static readonly long OpenUtcNs = DayUtcNs + NyOffsetNs + (9 * 60 + 30) * Time.NanosPerMinute;

    public static string FindDir(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : throw new ScenarioException([$"market.lean_dir '{configured}' does not exist"]);
        }
        // The checkout's copy (tests/data/lean-ticks beside DmaSlip.slnx), found upward from the working folder and
        // from the binary: nothing outside the checkout is read.
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "data", "lean-ticks");
                if (File.Exists(Path.Combine(dir.FullName, "DmaSlip.slnx")) && Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new ScenarioException(["market.source 'lean': no tests/data/lean-ticks in a DmaSlip checkout above the working folder; set market.lean_dir"]);
    }

    /// <summary>Builds the tape of <paramref name="symbol"/> between the session bounds, shifted so that 09:30 New York lands on <paramref name="sessionStartNs"/>.</summary>
    public static MarketTape Load(string dir, string symbol, long sessionStartNs, long sessionEndNs, MarketSpec spec)
    {
        var sym = symbol.ToLowerInvariant();
        var quotePath = Path.Combine(dir, sym, "20131007_quote.zip");
        var tradePath = Path.Combine(dir, sym, "20131007_trade.zip");
        if (!File.Exists(quotePath) || !File.Exists(tradePath))
        {
            throw new ScenarioException([$"market.lean_symbols: no LEAN ticks for '{symbol}' in {dir} (expected {sym}/20131007_quote.zip and _trade.zip)"]);
        }
        var shift = sessionStartNs - OpenUtcNs;
        var from = sessionStartNs - shift;
        var to = sessionEndNs - shift;
        var quotes = ReadRows(quotePath, 8);
        var trades = ReadRows(tradePath, 6);
        var tape = new MarketTape(symbol.ToUpperInvariant(), "CONS", spec.TickSize, spec.LotSize);
        var book = new Dictionary<char, (long Bid, long BidSize, long Ask, long AskSize)>();
        int qi = 0, ti = 0;
        int bestBid = 0, bestAsk = 0, bidSize = 0, askSize = 0;
        var tickDeci = (long)Math.Round(spec.TickSize * 10_000);
        while (qi < quotes.Count || ti < trades.Count)
        {
            var takeQuote = ti >= trades.Count || (qi < quotes.Count && quotes[qi].Ms <= trades[ti].Ms);
            var row = takeQuote ? quotes[qi++] : trades[ti++];
            var ts = DayUtcNs + NyOffsetNs + row.Ms * Time.NanosPerMilli;
            if (takeQuote)
            {
                var cur = book.GetValueOrDefault(row.Exchange);
                if (row.A > 0 && row.B > 0)
                {
                    cur.Bid = row.A;
                    cur.BidSize = row.B;
                }
                if (row.C > 0 && row.D > 0)
                {
                    cur.Ask = row.C;
                    cur.AskSize = row.D;
                }
                book[row.Exchange] = cur;
                long bb = 0, bs = 0, ba = long.MaxValue, az = 0;
                foreach (var v in book.Values)
                {
                    if (v.BidSize > 0 && v.Bid > bb) { bb = v.Bid; bs = 0; }
                    if (v.BidSize > 0 && v.Bid == bb) { bs += v.BidSize; }
                    if (v.AskSize > 0 && v.Ask < ba) { ba = v.Ask; az = 0; }
                    if (v.AskSize > 0 && v.Ask == ba) { az += v.AskSize; }
                }
                if (bb == 0 || ba == long.MaxValue || bb >= ba)
                {
                    continue; // one-sided, locked or crossed consolidated quote: keep the last usable one
                }
                bestBid = (int)(bb / tickDeci);
                bestAsk = (int)((ba + tickDeci - 1) / tickDeci);
                bidSize = (int)Math.Min(bs, int.MaxValue);
                askSize = (int)Math.Min(az, int.MaxValue);
                if (ts >= from && ts < to)
                {
                    tape.Add(ts + shift, bestBid, bidSize, bestAsk, askSize, MarketTape.Quote, 0, 0);
                }
            }
            else if (bestBid > 0 && ts >= from && ts < to)
            {
                var tick = (int)Math.Round((double)row.A / tickDeci);
                var kind = tick * 2 >= bestBid + bestAsk ? MarketTape.BuyTrade : MarketTape.SellTrade;
                tape.Add(ts + shift, bestBid, bidSize, bestAsk, askSize, kind, tick, (int)Math.Min(row.B, int.MaxValue));
            }
        }
        if (tape.Count == 0)
        {
            throw new ScenarioException([$"market: the LEAN ticks of {symbol} have no usable quotes in the session window"]);
        }
        return tape;
    }

    private readonly record struct Row(long Ms, long A, long B, long C, long D, char Exchange);

    /// <summary>Quote rows: ms, bid, bid size, ask, ask size, exchange; trade rows: ms, price, size, exchange.</summary>
    private static List<Row> ReadRows(string zipPath, int columns)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        var entry = zip.Entries.Single();
        using var stream = entry.Open();
        using var reader = new StreamReader(stream);
        var rows = new List<Row>(1 << 16);
        Span<long> f = stackalloc long[8];
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var span = line.AsSpan();
            var n = 0;
            var exchange = '?';
            foreach (var range in span.Split(','))
            {
                var part = span[range];
                var exchangeCol = columns == 8 ? 5 : 3;
                if (n == exchangeCol)
                {
                    exchange = part.Length > 0 ? part[0] : '?';
                }
                else if (n < 8 && long.TryParse(part, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v))
                {
                    f[n] = v;
                }
                n++;
            }
            if (n < columns)
            {
                continue;
            }
            rows.Add(columns == 8 ? new Row(f[0], f[1], f[2], f[3], f[4], exchange) : new Row(f[0], f[1], f[2], 0, 0, exchange));
        }
        return rows;
    }
}
