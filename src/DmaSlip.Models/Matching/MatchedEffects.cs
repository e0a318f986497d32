using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Matching;

/// <summary>
/// Matched-window estimates per parent (the fallback where the overlay shows no skill): strata of
/// <see cref="MatchedWindows.StratumKeys"/>; a treated parent (not calm) is charged its stratum's effect
/// e_s = mean r(treated in s) − mean r(calm in s), r = IS − IS_hat_baseline, and the three families the same
/// stratum difference of the gross classical terms (delay → DMA jitter, impact → service burst, miss → queue decay),
/// the rest of e_s shared in proportion to their absolute values (as the overlay's split). A treated parent whose
/// stratum holds no calm parent is charged the ATT = Σ_s n_s·e_s / Σ_s n_s. Uncertainty: B percentile-bootstrap
/// replicates that resample residuals within each state of each stratum (fixed seed); the ATT's replicate is the
/// same weighted sum of the strata's replicates.
/// </summary>
public sealed class MatchedEffects
{
    private MatchedEffects(int[] group, double[] effect, double[][] deviations, (double Dma, double Service, double Queue)[] families)
    {
        Group = group;
        Effect = effect;
        Deviations = deviations;
        Families = families;
    }

    /// <summary>Per parent: the index of its effect (a stratum, or the last = the ATT), −1 when not treated.</summary>
    public int[] Group { get; }

    /// <summary>Per group, e_g (bps); the last group is the ATT. Empty when no stratum has both states.</summary>
    public double[] Effect { get; }

    /// <summary>Per group, the B replicate deviations e*_g − e_g.</summary>
    public double[][] Deviations { get; }

    /// <summary>Per group, the family split of e_g (sums to e_g).</summary>
    public (double Dma, double Service, double Queue)[] Families { get; }

    public bool Any => Effect.Length > 0;

    public static MatchedEffects Estimate(
        IReadOnlyList<ParentRecord> parents, IReadOnlyList<double> residual, IReadOnlyList<bool> calm, int replicates = 400, int seed = 19)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(residual);
        ArgumentNullException.ThrowIfNull(calm);
        var keys = MatchedWindows.StratumKeys(parents);
        var strata = Enumerable.Range(0, parents.Count).GroupBy(i => keys[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (T: g.Where(i => !calm[i]).ToArray(), C: g.Where(i => calm[i]).ToArray()))
            .ToArray();
        var matched = strata.Where(s => s.T.Length > 0 && s.C.Length > 0).ToArray();
        var group = Enumerable.Repeat(-1, parents.Count).ToArray();
        if (matched.Length == 0)
        {
            return new MatchedEffects(group, [], [], []);
        }
        var effect = new double[matched.Length + 1];
        var deviations = new double[matched.Length + 1][];
        var families = new (double, double, double)[matched.Length + 1];
        var rng = new Random(seed);
        var treated = matched.Sum(s => s.T.Length);
        deviations[^1] = new double[replicates];
        double dDelay = 0, dImpact = 0, dMiss = 0;
        for (var g = 0; g < matched.Length; g++)
        {
            var (t, c) = matched[g];
            effect[g] = Mean(residual, t) - Mean(residual, c);
            var w = (double)t.Length / treated;
            effect[^1] += w * effect[g];
            var dev = new double[replicates];
            for (var b = 0; b < replicates; b++)
            {
                dev[b] = Resampled(residual, t, rng) - Resampled(residual, c, rng) - effect[g];
                deviations[^1][b] += w * dev[b];
            }
            deviations[g] = dev;
            var delay = Mean(parents, t, p => p.DelayBps) - Mean(parents, c, p => p.DelayBps);
            var impact = Mean(parents, t, p => p.ImpactBps) - Mean(parents, c, p => p.ImpactBps);
            var miss = Mean(parents, t, p => p.MissBps) - Mean(parents, c, p => p.MissBps);
            families[g] = Overlay.IommuOverlay.SplitFamilies(delay, impact, miss, effect[g] - delay - impact - miss);
            dDelay += w * delay;
            dImpact += w * impact;
            dMiss += w * miss;
            foreach (var i in t)
            {
                group[i] = g;
            }
        }
        families[^1] = Overlay.IommuOverlay.SplitFamilies(dDelay, dImpact, dMiss, effect[^1] - dDelay - dImpact - dMiss);
        foreach (var s in strata.Where(s => s.C.Length == 0))
        {
            foreach (var i in s.T)
            {
                group[i] = matched.Length;
            }
        }
        return new MatchedEffects(group, effect, deviations, families);
    }

    private static double Mean(IReadOnlyList<double> values, int[] idx) => idx.Average(i => values[i]);

    private static double Mean(IReadOnlyList<ParentRecord> parents, int[] idx, Func<ParentRecord, double> term) =>
        idx.Select(i => term(parents[i])).Where(double.IsFinite).DefaultIfEmpty(0).Average();

    private static double Resampled(IReadOnlyList<double> values, int[] idx, Random rng)
    {
        double sum = 0;
        for (var k = 0; k < idx.Length; k++)
        {
            sum += values[idx[rng.Next(idx.Length)]];
        }
        return sum / idx.Length;
    }
}
