namespace DmaSlip.Models.Uncertainty;

/// <summary>
/// The mean C_iommu of a set of parents with its 95 % interval (bps of Q·P_d). <see cref="Resolved"/>: the interval
/// excludes 0. <see cref="MdeBps"/>: the smallest mean effect this sample resolves with 80 % power at α = 0.05,
/// (z₀.₉₇₅ + z₀.₈)·SE with SE = (high − low)/(2·z₀.₉₇₅). <see cref="ParentsNeeded"/>: the parents the set would need
/// for the MDE to reach |mean| (SE ∝ 1/√n): ⌈n·(MDE/|mean|)²⌉; null when resolved or when the mean is 0.
/// </summary>
public sealed record IommuInterval(double MeanBps, double LowBps, double HighBps, string Method, int Parents)
{
    public const double Z975 = 1.959963984540054;
    public const double Z80 = 0.8416212335729143;

    public bool Resolved => LowBps > 0 || HighBps < 0;

    public double StandardErrorBps => (HighBps - LowBps) / (2 * Z975);

    public double MdeBps => (Z975 + Z80) * StandardErrorBps;

    public int? ParentsNeeded => Resolved || Parents == 0 || Math.Abs(MeanBps) < 1e-12
        ? null
        : (int)Math.Min(int.MaxValue, Math.Ceiling(Parents * Math.Pow(MdeBps / Math.Abs(MeanBps), 2)));

    /// <summary>
    /// Combines the subsets of several pools: mean = Σ sums / Σ counts; replicate b's deviation = Σ_pools dev_b / N
    /// (pools are resampled independently); the interval is mean + the 2.5th and 97.5th percentiles (type 7) of the
    /// deviations. Null when no pool has a parent in the subset. Method: the pools' methods, distinct, joined by "+".
    /// </summary>
    public static IommuInterval? Combine(IReadOnlyList<SubsetDraws> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var used = parts.Where(p => p.Count > 0).ToList();
        var n = used.Sum(p => p.Count);
        if (n == 0)
        {
            return null;
        }
        var replicates = used.Max(p => p.Deviations.Length);
        var deviations = new double[replicates];
        foreach (var p in used)
        {
            for (var b = 0; b < p.Deviations.Length; b++)
            {
                deviations[b] += p.Deviations[b] / n;
            }
        }
        Array.Sort(deviations);
        var mean = used.Sum(p => p.Sum) / n;
        var method = string.Join("+", used.Select(p => p.Method).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return new IommuInterval(mean, mean + Quantile7(deviations, 0.025), mean + Quantile7(deviations, 0.975), method, n);
    }

    /// <summary>Type-7 quantile of sorted values: h = (n − 1)·p, x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋).</summary>
    public static double Quantile7(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }
}

/// <summary>
/// One pool's part of a subset: Σ C_iommu over its members, their count, and per bootstrap replicate the deviation of
/// the resampled sum from <see cref="Sum"/> (same replicate count and seed in every pool).
/// </summary>
public sealed record SubsetDraws(double Sum, int Count, double[] Deviations, string Method);
