namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// Quantiles of a latency histogram with decade buckets (Intel <c>dmar_perf_latency</c>: &lt;100 ns, 0.1–1 µs, 1–10 µs,
/// 10–100 µs, 0.1–1 ms, 1–10 ms, ≥ 10 ms). The rank's bucket is found exactly; inside it the value is interpolated
/// geometrically (log-uniform within the decade), so the error is bounded by the bucket, not by a sketch. The first
/// bucket is taken as 10–100 ns and the last as 10–100 ms.
/// </summary>
internal static class DecadeHistogram
{
    private static readonly double[] Lower = [10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    /// <summary>(q50, q99) in ns, or (null, null) for an empty histogram.</summary>
    public static (double? Q50, double? Q99) Quantiles(ReadOnlySpan<double> buckets)
    {
        double total = 0;
        foreach (var b in buckets)
        {
            total += b;
        }
        if (total <= 0)
        {
            return (null, null);
        }
        return (Quantile(buckets, total, 0.5), Quantile(buckets, total, 0.99));
    }

    /// <summary>
    /// Mean of the histogram in ns (log-uniform inside each bucket: the mean of [a, 10a] is 9a / ln 10), or null when
    /// empty. The first bucket is taken as 10–100 ns and the last as 10–100 ms, as for the quantiles.
    /// </summary>
    public static double? Mean(ReadOnlySpan<double> buckets)
    {
        double total = 0, sum = 0;
        for (var k = 0; k < buckets.Length && k < Lower.Length; k++)
        {
            total += buckets[k];
            sum += buckets[k] * Lower[k] * 9 / Math.Log(10);
        }
        return total > 0 ? sum / total : null;
    }

    /// <summary>The q-quantile (0 &lt; q &lt; 1): the value below which a share q of the samples lie.</summary>
    public static double Quantile(ReadOnlySpan<double> buckets, double total, double q)
    {
        var rank = q * total;
        double below = 0;
        for (var k = 0; k < buckets.Length; k++)
        {
            var n = buckets[k];
            if (n > 0 && below + n >= rank)
            {
                var frac = Math.Clamp((rank - below) / n, 0, 1);
                return Lower[k] * Math.Pow(10, frac);
            }
            below += n;
        }
        return Lower[^1] * 10;
    }
}
