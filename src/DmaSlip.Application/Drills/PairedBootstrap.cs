using DmaSlip.Core.Features;

namespace DmaSlip.Application.Drills;

/// <summary>A percentile confidence interval with the point estimate and the replicate count.</summary>
internal readonly record struct ConfidenceInterval(double Estimate, double Lower, double Upper, int Replicates, double Level)
{
    public bool ExcludesZero => Lower > 0 || Upper < 0;
}

/// <summary>
/// Paired bootstrap of the difference of a quantile between two arms measured on the same units (common random
/// numbers: unit i saw the same market path, arrivals and fill draws in both arms). Each replicate resamples unit
/// indices with replacement and recomputes q(a[idx]) − q(b[idx]); the CI is the percentile interval of the
/// replicates (Efron's percentile method). Quantiles are Core's one definition, <see cref="ExactQuantile"/> (type 7,
/// DuckDB's <c>quantile_cont</c> and R's default; MathNet's <c>SortedArrayStatistics.Quantile</c> is R-8 and differs).
/// Hand-written because it is twenty lines and MathNet has no paired bootstrap.
/// </summary>
internal static class PairedBootstrap
{
    /// <summary>Type-7 quantile of an already sorted span (<see cref="ExactQuantile.OfSorted"/>).</summary>
    public static double QuantileSorted(ReadOnlySpan<double> sorted, double p) => ExactQuantile.OfSorted(sorted, p);

    public static double Quantile(IEnumerable<double> values, double p) => ExactQuantile.OfUnsorted(values.ToArray(), p);

    /// <summary>CI of q_p(a) − q_p(b) over paired units; a and b must have the same length and order.</summary>
    public static ConfidenceInterval QuantileDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, double p, int replicates, int seed, double level = 0.95)
    {
        if (a.Count != b.Count || a.Count == 0)
        {
            throw new ArgumentException($"paired samples must be non-empty and equal in length (got {a.Count} and {b.Count})");
        }
        var n = a.Count;
        var estimate = Quantile(a, p) - Quantile(b, p);
        var rng = new Random(seed);
        var ra = new double[n];
        var rb = new double[n];
        var reps = new double[replicates];
        for (var r = 0; r < replicates; r++)
        {
            for (var i = 0; i < n; i++)
            {
                var j = rng.Next(n);
                ra[i] = a[j];
                rb[i] = b[j];
            }
            Array.Sort(ra);
            Array.Sort(rb);
            reps[r] = QuantileSorted(ra, p) - QuantileSorted(rb, p);
        }
        Array.Sort(reps);
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(estimate, QuantileSorted(reps, alpha), QuantileSorted(reps, 1 - alpha), replicates, level);
    }
}
