using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Attribution;

/// <summary>
/// The mid price of one symbol over time, from its quotes (all venues merged in time order; one-sided quotes have
/// no mid and are skipped). <see cref="MidAt"/> is the mid of the latest two-sided quote at or before a time.
/// </summary>
public sealed class MidSeries
{
    private readonly long[] _ts;
    private readonly double[] _mid;
    private readonly double[] _spread;

    public MidSeries(IEnumerable<Quote> quotes)
    {
        var ts = new List<long>();
        var mid = new List<double>();
        var spread = new List<double>();
        foreach (var q in quotes.OrderBy(q => q.TsNs).ThenBy(q => q.Seq))
        {
            var m = q.Mid;
            if (!double.IsNaN(m) && m > 0)
            {
                ts.Add(q.TsNs);
                mid.Add(m);
                spread.Add(q.Spread);
            }
        }
        _ts = [.. ts];
        _mid = [.. mid];
        _spread = [.. spread];
    }

    public int Count => _ts.Length;

    /// <summary>Mid of the latest two-sided quote at or before <paramref name="tsNs"/>; NaN before the first.</summary>
    public double MidAt(long tsNs)
    {
        var i = IndexAt(tsNs);
        return i < 0 ? double.NaN : _mid[i];
    }

    /// <summary>Half the quoted spread in bps of mid at <paramref name="tsNs"/>; NaN before the first quote.</summary>
    public double HalfSpreadBpsAt(long tsNs)
    {
        var i = IndexAt(tsNs);
        return i < 0 ? double.NaN : 1e4 * _spread[i] / 2 / _mid[i];
    }

    /// <summary>Median relative spread (bps of mid) over all quotes; NaN without quotes.</summary>
    public double MedianSpreadBps()
    {
        if (_ts.Length == 0)
        {
            return double.NaN;
        }
        var rel = new double[_ts.Length];
        for (var i = 0; i < rel.Length; i++)
        {
            rel[i] = 1e4 * _spread[i] / _mid[i];
        }
        return Features.ExactQuantile.Median(rel);
    }

    private int IndexAt(long tsNs)
    {
        var i = Array.BinarySearch(_ts, tsNs);
        if (i >= 0)
        {
            // Several quotes can share a timestamp: take the last one.
            while (i + 1 < _ts.Length && _ts[i + 1] == tsNs)
            {
                i++;
            }
            return i;
        }
        return ~i - 1;
    }
}
