namespace DmaSlip.Core.Features;

/// <summary>
/// A fixed linear histogram over [0, 1] (shares such as ring occupancy fractions), weighted, allocation-free after
/// construction. A relative-error sketch is wrong for shares near 0; here each quantile is off by at most half a
/// bin (1/(2·bins)) in absolute terms, and a difference of two quantiles by at most one bin width.
/// </summary>
internal sealed class UnitHistogram
{
    public const int DefaultBins = 1000;

    private readonly long[] _counts;
    private long _count;
    private int _minIndex;
    private int _maxIndex;

    public UnitHistogram(int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        _counts = new long[bins];
        _minIndex = int.MaxValue;
        _maxIndex = -1;
    }

    public int Bins => _counts.Length;

    public long Count => _count;

    /// <summary>Records <paramref name="share"/> (clamped to [0, 1]) <paramref name="weight"/> times.</summary>
    public void Add(double share, long weight = 1)
    {
        if (weight <= 0 || double.IsNaN(share))
        {
            return;
        }
        var index = (int)(Math.Clamp(share, 0, 1) * _counts.Length);
        if (index == _counts.Length)
        {
            index--;
        }
        _counts[index] += weight;
        _count += weight;
        if (index < _minIndex)
        {
            _minIndex = index;
        }
        if (index > _maxIndex)
        {
            _maxIndex = index;
        }
    }

    public void Clear()
    {
        if (_count > 0)
        {
            Array.Clear(_counts, _minIndex, _maxIndex - _minIndex + 1);
        }
        _count = 0;
        _minIndex = int.MaxValue;
        _maxIndex = -1;
    }

    /// <summary>Type-7 quantile estimate (bin centres, interpolated between neighbouring ranks); NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (_count == 0)
        {
            return double.NaN;
        }
        var h = Math.Clamp(q, 0, 1) * (_count - 1);
        var lo = (long)Math.Floor(h);
        var frac = h - lo;
        var a = ValueAtRank(lo);
        return frac == 0 || lo + 1 >= _count ? a : a + frac * (ValueAtRank(lo + 1) - a);
    }

    private double ValueAtRank(long rank)
    {
        long cumulative = 0;
        for (var i = _minIndex; i <= _maxIndex; i++)
        {
            cumulative += _counts[i];
            if (cumulative > rank)
            {
                return (i + 0.5) / _counts.Length;
            }
        }
        return (_maxIndex + 0.5) / _counts.Length;
    }
}
