namespace DmaSlip.Core.Features;

/// <summary>
/// A DDSketch-style log-bucketed quantile sketch (Masson, Rim, Lee, PVLDB 2019) over non-negative values with a
/// fixed bucket array, so that recording never allocates. Bucket i holds values in (γ^(i−1), γ^i] with
/// γ = (1+α)/(1−α); its representative value 2γ^i/(γ+1) is within relative error α of every value in it.
/// <para>
/// Error bound: for values in [<see cref="MinIndexable"/>, <see cref="MaxIndexable"/>], <see cref="Quantile"/>
/// returns q̂ with |q̂ − q| ≤ α·q, where q is the exact linearly interpolated quantile (Hyndman–Fan type 7, the one
/// DuckDB's <c>quantile_cont</c> computes): both neighbouring order statistics are estimated within α and the
/// interpolation of two values each within α of its target stays within α of the interpolated target. Values
/// below <see cref="MinIndexable"/> (sub-nanosecond latencies) count as 0, adding at most MinIndexable of
/// absolute error; values above <see cref="MaxIndexable"/> are clamped to the top bucket.
/// </para>
/// <para>
/// Why hand-written rather than HdrHistogram: Core is BCL-only, DDSketch's relative-error guarantee holds over
/// the whole latency range with ~1.5 k buckets (12 KB; HdrHistogram at 3 digits over 1 ns–1 h is 270 KB), and
/// merging is a bucket-wise add (exact, associative, commutative).
/// </para>
/// </summary>
internal sealed class LogSketch
{
    public const double DefaultRelativeAccuracy = 0.01;
    public const double MinIndexable = 1.0;
    public const double MaxIndexable = 1e13;

    private readonly double _gamma;
    private readonly double _multiplier;
    private readonly long[] _counts;
    private long _zeroCount;
    private long _count;
    private int _minIndex;
    private int _maxIndex;

    public LogSketch(double relativeAccuracy = DefaultRelativeAccuracy)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "Relative accuracy must be in (0, 0.5).");
        }
        RelativeAccuracy = relativeAccuracy;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _multiplier = 1 / Math.Log(_gamma);
        _counts = new long[(int)Math.Ceiling(Math.Log(MaxIndexable) * _multiplier) + 1];
        Clear();
    }

    public double RelativeAccuracy { get; }

    /// <summary>Total weight recorded.</summary>
    public long Count => _count;

    /// <summary>Records <paramref name="value"/> <paramref name="weight"/> times. NaN and non-positive weights are ignored.</summary>
    public void Add(double value, long weight = 1)
    {
        if (weight <= 0 || double.IsNaN(value))
        {
            return;
        }
        _count += weight;
        if (value < MinIndexable)
        {
            _zeroCount += weight;
            return;
        }
        // Index 0 holds (γ^-1, 1]; ceil(log_γ v) ≥ 0 for v ≥ 1.
        var index = (int)Math.Ceiling(Math.Log(value) * _multiplier);
        if (index >= _counts.Length)
        {
            index = _counts.Length - 1;
        }
        _counts[index] += weight;
        if (index < _minIndex)
        {
            _minIndex = index;
        }
        if (index > _maxIndex)
        {
            _maxIndex = index;
        }
    }

    /// <summary>Adds every recording of <paramref name="other"/> (same relative accuracy required).</summary>
    public void Merge(LogSketch other)
    {
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException("Sketches with different relative accuracy cannot be merged.", nameof(other));
        }
        _count += other._count;
        _zeroCount += other._zeroCount;
        for (var i = other._minIndex; i <= other._maxIndex; i++)
        {
            _counts[i] += other._counts[i];
        }
        if (other._count > other._zeroCount)
        {
            _minIndex = Math.Min(_minIndex, other._minIndex);
            _maxIndex = Math.Max(_maxIndex, other._maxIndex);
        }
    }

    /// <summary>Forgets every recording (clears only the touched range of buckets).</summary>
    public void Clear()
    {
        if (_maxIndex >= _minIndex && _count > 0)
        {
            Array.Clear(_counts, _minIndex, _maxIndex - _minIndex + 1);
        }
        _zeroCount = 0;
        _count = 0;
        _minIndex = int.MaxValue;
        _maxIndex = -1;
    }

    /// <summary>
    /// The type-7 quantile estimate for <paramref name="q"/> in [0, 1]; NaN when the sketch is empty.
    /// </summary>
    public double Quantile(double q)
    {
        if (_count == 0)
        {
            return double.NaN;
        }
        q = Math.Clamp(q, 0, 1);
        var h = q * (_count - 1);
        var lo = (long)Math.Floor(h);
        var frac = h - lo;
        var a = ValueAtRank(lo);
        return frac == 0 || lo + 1 >= _count ? a : a + frac * (ValueAtRank(lo + 1) - a);
    }

    /// <summary>Estimate of the order statistic of 0-based rank <paramref name="rank"/>.</summary>
    private double ValueAtRank(long rank)
    {
        if (rank < _zeroCount)
        {
            return 0;
        }
        var cumulative = _zeroCount;
        for (var i = _minIndex; i <= _maxIndex; i++)
        {
            cumulative += _counts[i];
            if (cumulative > rank)
            {
                return 2 * Math.Pow(_gamma, i) / (_gamma + 1);
            }
        }
        return 2 * Math.Pow(_gamma, _maxIndex) / (_gamma + 1);
    }
}
