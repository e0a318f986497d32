namespace DmaSlip.Simulation.Market;

/// <summary>
/// The market path of one symbol: after each event, the top of book (prices in ticks, sizes in shares), and
/// whether the event was a trade (aggressor side, size, price tick). Shared read-only by the real run and its
/// twin: our own orders do not move it (the same assumption as replay backtesters such as hftbacktest).
/// </summary>
internal sealed class MarketTape
{
    public const byte Quote = 0;
    public const byte BuyTrade = 1;
    public const byte SellTrade = 2;

    private long[] _ts = new long[1024];
    private int[] _bid = new int[1024];
    private int[] _ask = new int[1024];
    private int[] _bidSize = new int[1024];
    private int[] _askSize = new int[1024];
    private byte[] _kind = new byte[1024];
    private int[] _tradeSize = new int[1024];
    private int[] _tradeTick = new int[1024];

    public MarketTape(string symbol, string venue, double tickSize, int lotSize)
    {
        Symbol = symbol;
        Venue = venue;
        TickSize = tickSize;
        LotSize = lotSize;
    }

    public string Symbol { get; }

    public string Venue { get; }

    public double TickSize { get; }

    public int LotSize { get; }

    public int Count { get; private set; }

    public ReadOnlySpan<long> Ts => _ts.AsSpan(0, Count);

    public long TsAt(int i) => _ts[i];

    public int Bid(int i) => _bid[i];

    public int Ask(int i) => _ask[i];

    public int BidSize(int i) => _bidSize[i];

    public int AskSize(int i) => _askSize[i];

    public byte Kind(int i) => _kind[i];

    public int TradeSize(int i) => _tradeSize[i];

    public int TradeTick(int i) => _tradeTick[i];

    public double Px(int tick) => Math.Round(tick * TickSize, 6);

    public double MidTicks(int i) => (_bid[i] + _ask[i]) / 2.0;

    public void Add(long ts, int bid, int bidSize, int ask, int askSize, byte kind, int tradeTick, int tradeSize)
    {
        if (Count == _ts.Length)
        {
            var n = Count * 2;
            Array.Resize(ref _ts, n);
            Array.Resize(ref _bid, n);
            Array.Resize(ref _ask, n);
            Array.Resize(ref _bidSize, n);
            Array.Resize(ref _askSize, n);
            Array.Resize(ref _kind, n);
            Array.Resize(ref _tradeSize, n);
            Array.Resize(ref _tradeTick, n);
        }
        var i = Count++;
        _ts[i] = ts;
        _bid[i] = bid;
        _ask[i] = ask;
        _bidSize[i] = bidSize;
        _askSize[i] = askSize;
        _kind[i] = kind;
        _tradeTick[i] = tradeTick;
        _tradeSize[i] = tradeSize;
    }

    /// <summary>Index of the last event at or before <paramref name="ts"/> (0 if none: the opening state holds).</summary>
    public int IndexAt(long ts)
    {
        var i = Ts.BinarySearch(ts);
        if (i >= 0)
        {
            while (i + 1 < Count && _ts[i + 1] == ts)
            {
                i++;
            }
            return i;
        }
        i = ~i - 1;
        return i < 0 ? 0 : i;
    }

    /// <summary>Mid price in currency at <paramref name="ts"/>.</summary>
    public double MidAt(long ts) => MidTicks(IndexAt(ts)) * TickSize;
}
