using MathNet.Numerics.Statistics;

namespace DmaSlip.Models.Pipeline;

/// <summary>
/// The doubly robust level of one group's overlay C_iommu (a pool's non-calm parents of one strategy): the overlay's
/// counterfactual plus the mean error of its prediction on those parents' realized residuals, less the same mean on
/// the pool's calm parents (the augmented-IPW estimator of the effect on the treated, with the overlay as outcome model).
/// <c>Shift</c> = ē_group − ē_calm, e = r − Δ̂IS_mean, r = IS − IS_hat_baseline; <c>StandardErrorBps</c> its standard
/// error; <c>AppliedBps</c> the shift after positive-part James–Stein shrinkage toward 0, shift·max(0, 1 − SE²/shift²),
/// which is what the group's mean C_iommu moved by (0 when the overlay put no effect on the group).
/// </summary>
public sealed record LevelCorrection(string Group, int Parents, double ShiftBps, double StandardErrorBps, double AppliedBps)
{
    /// <summary>
    /// Corrects <paramref name="families"/> (each parent's dma-jitter, service-burst and queue-decay terms, which sum
    /// to its C_iommu) in place. Within a group the applied shift is spread in proportion to |C_i| (C_i += shift·|C_i| /
    /// mean |C|, every family scaled alike), so a parent the overlay gave no effect keeps none. Calm parents
    /// (<paramref name="calm"/>) and parents without a finite error are left out; returns one row per group.
    /// </summary>
    public static IReadOnlyList<LevelCorrection> Apply((double Dma, double Service, double Queue)[] families, IReadOnlyList<bool> calm, double[] error,
        IReadOnlyList<string> group)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(calm);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(group);
        var calmErrors = Enumerable.Range(0, families.Length).Where(i => calm[i] && double.IsFinite(error[i])).Select(i => error[i]).ToArray();
        if (calmErrors.Length < 2)
        {
            return []; // no calm reference to measure the level against
        }
        var (calmMean, calmVar) = Statistics.MeanVariance(calmErrors);
        var result = new List<LevelCorrection>();
        foreach (var g in Enumerable.Range(0, families.Length).Where(i => !calm[i] && double.IsFinite(error[i]))
            .GroupBy(i => group[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var idx = g.ToArray();
            if (idx.Length < 2)
            {
                continue;
            }
            var (mean, variance) = Statistics.MeanVariance(idx.Select(i => error[i]));
            var shift = mean - calmMean;
            var se2 = (variance / idx.Length) + (calmVar / calmErrors.Length);
            var applied = shift * shift <= se2 ? 0 : shift * (1 - (se2 / (shift * shift)));
            var scale = idx.Average(i => Math.Abs(Sum(families[i])));
            if (scale <= 1e-9)
            {
                applied = 0; // the overlay put no effect here: nothing to scale
            }
            if (applied != 0)
            {
                foreach (var i in idx)
                {
                    var c = Sum(families[i]);
                    if (c == 0)
                    {
                        continue;
                    }
                    var factor = 1 + (applied * Math.Abs(c) / scale / c);
                    families[i] = (families[i].Dma * factor, families[i].Service * factor, families[i].Queue * factor);
                }
            }
            result.Add(new LevelCorrection(g.Key, idx.Length, shift, Math.Sqrt(se2), applied));
        }
        return result;
    }

    private static double Sum((double Dma, double Service, double Queue) f) => f.Dma + f.Service + f.Queue;
}
