using DmaSlip.Models.Features;

namespace DmaSlip.Models.Pipeline;

/// <summary>
/// Labels each parent calm or pressured from its own host's features (no truth): the pressure score is the largest
/// z-score (x − μ̂)/σ̂ among the translation-pressure features, each against the same host's calm state estimated
/// from the LOW tail of its parents' values (the host's own baseline, like DFI). Pressure only raises these signals,
/// so the low tail is calm even on a day the host spends mostly in a storm, where a median would sit inside the storm
/// and call storm parents calm: σ̂ = (q₂₅ − q₅)/(Φ⁻¹(0.25) − Φ⁻¹(0.05)), μ̂ = q₂₅ − Φ⁻¹(0.25)·σ̂ (exact for a normal calm
/// state; with a calm share c &lt; 1 both are biased upward, so a mildly pressured parent may be labelled calm while a
/// storm's parents stay far out), σ̂ floored at 1 % of |μ̂|. Calm: score &lt; <see cref="CalmBelow"/>. Pressured:
/// score ≥ <see cref="PressuredFrom"/>. Between the two: neither (kept out of the baseline fit and the matched
/// comparison).
/// </summary>
internal static class PressureClassifier
{
    public const double CalmBelow = 2.0;
    public const double PressuredFrom = 3.0;

    private static readonly string[] Signals =
        ["flush_rate_mean", "flush_burst_q99_max", "inv_latency_q99_mean", "dma_latency_q99_mean", "napi_poll_variance_mean", "pso_mean"];

    public static double[] Scores(IReadOnlyList<ParentRecord> parents)
    {
        ArgumentNullException.ThrowIfNull(parents);
        var columns = Signals.Select(OverlayFeatureSchema.IndexOf).ToArray();
        var scores = new double[parents.Count];
        foreach (var host in Enumerable.Range(0, parents.Count).GroupBy(i => parents[i].Host, StringComparer.Ordinal))
        {
            var members = host.ToArray();
            foreach (var col in columns)
            {
                var values = members.Select(i => (double)parents[i].Features[col]).Where(double.IsFinite).ToArray();
                if (values.Length < 5)
                {
                    continue;
                }
                var (center, scale) = CalmState(values);
                if (scale <= 0)
                {
                    continue;
                }
                foreach (var i in members)
                {
                    var v = parents[i].Features[col];
                    if (float.IsFinite(v))
                    {
                        scores[i] = Math.Max(scores[i], (v - center) / scale);
                    }
                }
            }
        }
        return scores;
    }

    /// <summary>Φ⁻¹(0.25) − Φ⁻¹(0.05): the q₅→q₂₅ distance of a standard normal.</summary>
    internal const double Q05ToQ25 = 0.97000;

    /// <summary>Φ⁻¹(0.25) (negated): how far q₂₅ of a normal lies below its mean, in σ.</summary>
    internal const double Q25BelowMean = 0.67449;

    /// <summary>μ̂ and σ̂ of the calm state from the low tail (see the class summary); σ̂ ≥ 1 % of |μ̂|.</summary>
    internal static (double Center, double Scale) CalmState(double[] values)
    {
        var sorted = values.Order().ToArray();
        var q05 = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(sorted, 0.05);
        var q25 = MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(sorted, 0.25);
        var sigma = (q25 - q05) / Q05ToQ25;
        var center = q25 + (Q25BelowMean * sigma);
        // The floor keeps a perfectly steady host from turning noise into huge z.
        return (center, Math.Max(sigma, Math.Abs(center) * 0.01));
    }

    public static bool[] Calm(double[] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Select(s => s < CalmBelow).ToArray();
    }

    public static bool[] Pressured(double[] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return scores.Select(s => s >= PressuredFrom).ToArray();
    }
}
