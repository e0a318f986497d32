using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Matching;

/// <summary>
/// Compares pressure states only inside strata of symbol × session segment × volatility bucket (terciles of σ over
/// all parents) × liquidity bucket, so a storm that happens to coincide with a volatile open is not read as IOMMU
/// cost. Effects are differences of mean residual (IS − IS_hat_baseline); CIs are percentile bootstraps that
/// resample parents within each state of each stratum (fixed seed: reproducible).
/// </summary>
internal static class MatchedWindows
{
    public static readonly string[] Covariates = ["half_spread_bps", "sigma_daily_bps", "log_participation", "log_queue_ahead"];

    public static MatchingReport Run(
        IReadOnlyList<ParentRecord> parents, IReadOnlyList<double> residual, IReadOnlyList<bool> calm, IReadOnlyList<bool> pressured,
        int bootstrap = 200, int seed = 11)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(residual);
        ArgumentNullException.ThrowIfNull(calm);
        ArgumentNullException.ThrowIfNull(pressured);
        var keys = StratumKeys(parents);
        var strata = Enumerable.Range(0, parents.Count).Where(i => calm[i] || pressured[i])
            .GroupBy(i => keys[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Key: g.Key, P: g.Where(i => pressured[i]).ToArray(), C: g.Where(i => calm[i] && !pressured[i]).ToArray()))
            .ToArray();
        var nPressured = strata.Sum(s => s.P.Length);
        var nCalm = strata.Sum(s => s.C.Length);
        var matched = strata.Where(s => s.P.Length > 0 && s.C.Length > 0).ToArray();
        var matchedPressured = matched.Sum(s => s.P.Length);

        var rng = new Random(seed);
        var effects = new List<StratumEffect>();
        var attDraws = new double[bootstrap];
        double att = 0;
        foreach (var s in matched)
        {
            var effect = MeanOf(residual, s.P) - MeanOf(residual, s.C);
            var weight = (double)s.P.Length / matchedPressured;
            att += weight * effect;
            var draws = new double[bootstrap];
            for (var b = 0; b < bootstrap; b++)
            {
                draws[b] = Resampled(residual, s.P, rng) - Resampled(residual, s.C, rng);
                attDraws[b] += weight * draws[b];
            }
            Array.Sort(draws);
            effects.Add(new StratumEffect(s.Key, s.P.Length, s.C.Length, effect,
                Percentile(draws, 0.025), Percentile(draws, 0.975)));
        }
        Array.Sort(attDraws);
        var balance = Covariates.Select((name, c) => BalanceOf(name, c, parents, strata.SelectMany(s => s.P).ToArray(),
            strata.SelectMany(s => s.C).ToArray(), matched)).ToArray();
        return new MatchingReport(
            strata.Length, matched.Length, nPressured, nCalm,
            nPressured == 0 ? 1 : (double)matchedPressured / nPressured,
            nPressured == 0 ? 0 : 1 - ((double)matchedPressured / nPressured),
            matched.Length == 0 ? double.NaN : att,
            matched.Length == 0 ? double.NaN : Percentile(attDraws, 0.025),
            matched.Length == 0 ? double.NaN : Percentile(attDraws, 0.975),
            effects, balance);
    }

    /// <summary>Each parent's stratum: symbol | session segment | volatility tercile (of σ over all parents) | liquidity bucket.</summary>
    public static string[] StratumKeys(IReadOnlyList<ParentRecord> parents)
    {
        ArgumentNullException.ThrowIfNull(parents);
        var sigmas = parents.Select(p => p.SigmaDailyBps).Where(double.IsFinite).Order().ToArray();
        var t1 = sigmas.Length == 0 ? 0 : MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(sigmas, 1.0 / 3);
        var t2 = sigmas.Length == 0 ? 0 : MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(sigmas, 2.0 / 3);
        return parents.Select(p =>
        {
            var vol = p.SigmaDailyBps <= t1 ? "vol-low" : p.SigmaDailyBps <= t2 ? "vol-mid" : "vol-high";
            return $"{p.Symbol}|{p.SessionSegment}|{vol}|{p.LiquidityBucket}";
        }).ToArray();
    }

    private static double Covariate(ParentRecord p, int c) => c switch
    {
        0 => p.HalfSpreadBps,
        1 => p.SigmaDailyBps,
        2 => Math.Log(Math.Max(p.Participation, 1e-6)),
        _ => Math.Log(1 + Math.Max(p.QueueAheadRatio, 0)),
    };

    private static Balance BalanceOf(string name, int c, IReadOnlyList<ParentRecord> parents, int[] p, int[] cIdx, (string Key, int[] P, int[] C)[] matched)
    {
        double[] Values(int[] idx) => idx.Select(i => Covariate(parents[i], c)).Where(double.IsFinite).ToArray();
        var vp = Values(p);
        var vc = Values(cIdx);
        if (vp.Length < 2 || vc.Length < 2)
        {
            return new Balance(name, 0, 0);
        }
        // The pooled SD of the unmatched groups is the denominator before AND after (Austin 2011), so the
        // change shows the effect of stratification, not a change of scale.
        var sd = Math.Sqrt((MathNet.Numerics.Statistics.Statistics.Variance(vp) + MathNet.Numerics.Statistics.Statistics.Variance(vc)) / 2);
        if (sd <= 0)
        {
            return new Balance(name, 0, 0);
        }
        var before = (vp.Average() - vc.Average()) / sd;
        // After: calm parents re-weighted to the pressured parents' stratum distribution (exact stratification).
        double treatedSum = 0, treatedN = 0, controlSum = 0, controlW = 0;
        foreach (var s in matched)
        {
            var sp = s.P.Select(i => Covariate(parents[i], c)).Where(double.IsFinite).ToArray();
            var sc = s.C.Select(i => Covariate(parents[i], c)).Where(double.IsFinite).ToArray();
            if (sp.Length == 0 || sc.Length == 0)
            {
                continue;
            }
            treatedSum += sp.Sum();
            treatedN += sp.Length;
            var w = (double)sp.Length / sc.Length;
            controlSum += w * sc.Sum();
            controlW += w * sc.Length;
        }
        var after = treatedN == 0 || controlW == 0 ? 0 : ((treatedSum / treatedN) - (controlSum / controlW)) / sd;
        return new Balance(name, before, after);
    }

    private static double MeanOf(IReadOnlyList<double> values, int[] idx) => idx.Average(i => values[i]);

    private static double Resampled(IReadOnlyList<double> values, int[] idx, Random rng)
    {
        double sum = 0;
        for (var k = 0; k < idx.Length; k++)
        {
            sum += values[idx[rng.Next(idx.Length)]];
        }
        return sum / idx.Length;
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(sorted, q);
}
