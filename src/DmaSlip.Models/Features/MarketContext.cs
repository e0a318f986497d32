using DmaSlip.Core.Domain;

namespace DmaSlip.Models.Features;

/// <summary>
/// Market state of one symbol for the baseline and the strata: half-spread and displayed size at a time, realized
/// volatility around it, traded volume over a span. Quotes and trades must be sorted by time (one venue's tape or a
/// consolidated one); quotes with a missing side are skipped.
/// </summary>
public sealed class MarketContext
{
    /// <summary>Trading seconds per US equity session: scales a per-second variance to a daily one.</summary>
    public const double SessionSeconds = 23_400;

    private readonly long[] _qTs;
    private readonly double[] _mid;
    private readonly double[] _halfSpreadBps;
    private readonly long[] _bidSize;
    private readonly long[] _askSize;
    private readonly double[] _midIntegral;
    private readonly long[] _tTs;
    private readonly long[] _cumVolume;
    private readonly double _daySigmaBps;

    public MarketContext(IEnumerable<Quote> quotes, IEnumerable<Trade> trades)
    {
        var q = quotes.Where(x => x.BidSize > 0 && x.AskSize > 0 && x.AskPx >= x.BidPx && x.BidPx > 0).ToArray();
        _qTs = q.Select(x => x.TsNs).ToArray();
        _mid = q.Select(x => x.Mid).ToArray();
        _halfSpreadBps = q.Select(x => (x.AskPx - x.BidPx) / 2 / x.Mid * 1e4).ToArray();
        _bidSize = q.Select(x => x.BidSize).ToArray();
        _askSize = q.Select(x => x.AskSize).ToArray();
        // ∫ mid dt (seconds) from the first quote to each quote: the mid is a step function of quote time.
        _midIntegral = new double[_qTs.Length];
        for (var i = 1; i < _qTs.Length; i++)
        {
            _midIntegral[i] = _midIntegral[i - 1] + (_mid[i - 1] * ((_qTs[i] - _qTs[i - 1]) / 1e9));
        }
        var t = trades.ToArray();
        _tTs = t.Select(x => x.TsNs).ToArray();
        _cumVolume = new long[t.Length + 1];
        for (var i = 0; i < t.Length; i++)
        {
            _cumVolume[i + 1] = _cumVolume[i] + t[i].Size;
        }
        _daySigmaBps = _qTs.Length < 3 ? double.NaN : SigmaDailyBps(_qTs[0], _qTs[^1] + 1);
    }

    public bool HasQuotes => _qTs.Length > 0;

    public bool HasTrades => _tTs.Length > 0;

    /// <summary>Half-spread (bps of mid) of the last quote at or before <paramref name="tsNs"/> (the first quote if none).</summary>
    public double HalfSpreadBpsAt(long tsNs) => _qTs.Length == 0 ? double.NaN : _halfSpreadBps[At(tsNs)];

    /// <summary>Displayed size on the side a passive child of <paramref name="side"/> joins (bid for a buy).</summary>
    public long DisplayedSizeAt(long tsNs, int side) => _qTs.Length == 0 ? 0 : side > 0 ? _bidSize[At(tsNs)] : _askSize[At(tsNs)];

    /// <summary>
    /// Daily-equivalent volatility (bps) from squared mid log-returns over [from, to): σ_day = √(Σr² / span_s · 23,400)·10⁴.
    /// Falls back to the whole tape's value when the span holds fewer than 3 quotes.
    /// </summary>
    public double SigmaDailyBps(long fromNs, long toNs)
    {
        var i0 = Lower(_qTs, fromNs);
        var i1 = Lower(_qTs, toNs);
        if (i1 - i0 < 3)
        {
            return _daySigmaBps;
        }
        double sum = 0;
        for (var i = i0 + 1; i < i1; i++)
        {
            var r = Math.Log(_mid[i] / _mid[i - 1]);
            sum += r * r;
        }
        var span = Math.Max((_qTs[i1 - 1] - _qTs[i0]) / 1e9, 1);
        return Math.Sqrt(sum / span * SessionSeconds) * 1e4;
    }

    /// <summary>Mid of the last quote at or before <paramref name="tsNs"/> (the first quote if none); NaN without quotes.</summary>
    public double MidAt(long tsNs) => _qTs.Length == 0 ? double.NaN : _mid[At(tsNs)];

    /// <summary>
    /// Time-weighted average mid over [from, to]: ∫ mid dt / (to − from), the mid a step function of quote time
    /// (before the first quote, the first quote's mid). The mid at <paramref name="fromNs"/> when the span is empty.
    /// </summary>
    public double MidTwap(long fromNs, long toNs)
    {
        if (_qTs.Length == 0)
        {
            return double.NaN;
        }
        return toNs <= fromNs ? MidAt(fromNs) : (MidIntegral(toNs) - MidIntegral(fromNs)) / ((toNs - fromNs) / 1e9);
    }

    /// <summary>Traded volume in [from, to).</summary>
    public long VolumeBetween(long fromNs, long toNs) => _cumVolume[Lower(_tTs, toNs)] - _cumVolume[Lower(_tTs, fromNs)];

    /// <summary>∫ mid dt (seconds) from the first quote's time to <paramref name="tsNs"/> (negative before it).</summary>
    private double MidIntegral(long tsNs)
    {
        var k = At(tsNs);
        return _midIntegral[k] + (_mid[k] * ((tsNs - _qTs[k]) / 1e9));
    }

    private int At(long tsNs) => Math.Max(Lower(_qTs, tsNs + 1) - 1, 0);

    private static int Lower(long[] ts, long value)
    {
        int lo = 0, hi = ts.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ts[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
