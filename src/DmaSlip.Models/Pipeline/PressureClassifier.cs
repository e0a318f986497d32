using DmaSlip.Models.Features;

namespace DmaSlip.Models.Pipeline;

/// <summary>
/// Labels each parent calm or pressured from its own host's features (no truth): the pressure score is the largest
/// robust z-score (x − median)/(1.4826·MAD) among the translation-pressure features, each against the same host's
/// distribution over all its parents (the host's own baseline, like DFI). Calm: score &lt; <see cref="CalmBelow"/>.
/// Pressured: score ≥ <see cref="PressuredFrom"/>. Between the two: neither (kept out of the matched comparison).
/// </summary>
public static class PressureClassifier
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
                var median = Baseline.BaselineStack.Median(values);
                var mad = Baseline.BaselineStack.Median(values.Select(v => Math.Abs(v - median)));
                // A MAD floor of 1 % of the median keeps a perfectly steady host from turning noise into huge z.
                var scale = 1.4826 * Math.Max(mad, Math.Abs(median) * 0.01);
                if (scale <= 0)
                {
                    continue;
                }
                foreach (var i in members)
                {
                    var v = parents[i].Features[col];
                    if (float.IsFinite(v))
                    {
                        scores[i] = Math.Max(scores[i], (v - median) / scale);
                    }
                }
            }
        }
        return scores;
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
