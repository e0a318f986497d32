using DmaSlip.Models.Baseline;
using DmaSlip.Models.Features;
using DmaSlip.Models.Matching;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Uncertainty;

namespace DmaSlip.Models.Pipeline;

/// <summary>
/// A pool's estimates, the uncertainty of their means (<see cref="IommuUncertainty.Draws"/>) and the level corrections
/// applied to the overlay's C_iommu per strategy (<see cref="LevelCorrection"/>; empty under matched windows).
/// </summary>
public sealed record PoolAttribution(IReadOnlyList<ParentEstimate> Estimates, IommuUncertainty Uncertainty, IReadOnlyList<LevelCorrection> Corrections);

/// <summary>Everything one fit reports: the baseline coefficients, the overlay's held-out metrics and the matching.</summary>

public sealed record FitReport(BaselineStack Baseline, OverlayMetrics Overlay, MatchingReport Matching, int Parents, int CalmParents, int PressuredParents);

/// <summary>
/// The slippage stack of one scope (a host pool): classical baseline + IOMMU overlay. Trained from realized data only:
/// calm/pressured labels come from host features (<see cref="PressureClassifier"/>), the overlay's target is the
/// baseline residual. The simulator's truth never enters a fit.
/// </summary>
public sealed class SlippageModel(BaselineStack baseline, IommuOverlay overlay, IReadOnlyList<string> strategies) : IDisposable
{
    public BaselineStack Baseline { get; } = baseline;

    public IommuOverlay Overlay { get; } = overlay;

    /// <summary>
    /// The strategies of the fit's parents, in ordinal order: a parent's <c>strategy_code</c> overlay feature is its
    /// strategy's index here (NaN for an empty or unseen one, which LightGBM routes as missing).
    /// </summary>
    public IReadOnlyList<string> Strategies { get; } = strategies;

    /// <summary>Fits on <paramref name="parents"/>; they are ordered by arrival here so validation is the latest share.</summary>
    public static (SlippageModel Model, FitReport Report) Fit(IReadOnlyList<ParentRecord> parents, OverlayOptions options)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(options);
        if (parents.Count == 0)
        {
            throw new ArgumentException("no parents to fit on", nameof(parents));
        }
        var ordered = parents.OrderBy(p => p.ArrivalNs).ThenBy(p => p.ParentId, StringComparer.Ordinal).ToArray();
        var scores = PressureClassifier.Scores(ordered);
        var calm = PressureClassifier.Calm(scores);
        var pressured = PressureClassifier.Pressured(scores);
        var baseline = BaselineStack.Fit(ordered, calm);
        var residual = ordered.Select(p => p.IsBps - baseline.Predict(p)).ToArray();
        string[] strategies = [.. ordered.Select(p => p.Strategy).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var x = Matrix(ordered, strategies);
        // Leaves of at most 1/20 of the parents (20–the configured size): a small pool still gets splits to judge.
        var leaf = Math.Clamp(ordered.Length / 20, 20, options.Mean.MinDataInLeaf);
        var sized = options with { Mean = options.Mean with { MinDataInLeaf = leaf }, Q95 = options.Q95 with { MinDataInLeaf = Math.Clamp(ordered.Length / 20, 20, options.Q95.MinDataInLeaf) } };
        var overlay = IommuOverlay.Fit(x, residual.Select(r => (float)r).ToArray(), calm, ordered.Select(p => p.Host).ToArray(), sized,
            options.VolatilityScaling ? ordered.Select(p => p.SigmaDailyBps).ToArray() : null);
        var matching = MatchedWindows.Run(ordered, residual, calm, pressured);
        var report = new FitReport(baseline, overlay.Metrics, matching, ordered.Length, calm.Count(c => c), pressured.Count(p => p));
        return (new SlippageModel(baseline, overlay, strategies), report);
    }

    /// <summary>Estimates for <paramref name="parents"/> (any order; results follow the input order).</summary>
    public IReadOnlyList<ParentEstimate> Apply(IReadOnlyList<ParentRecord> parents) => Attribute(parents).Estimates;

    /// <summary>
    /// Estimates for <paramref name="parents"/> with C_iommu's uncertainty. The overlay's counterfactual where the
    /// overlay showed skill on its validation split (<see cref="IommuOverlay.HasMeanSkill"/>); otherwise matched
    /// windows on these parents' residuals (<see cref="MatchedEffects"/>); without a calm parent to compare with, no
    /// estimate at all. Calm-labelled parents get C_iommu = 0 (hurdle) under either method.
    /// </summary>
    public PoolAttribution Attribute(IReadOnlyList<ParentRecord> parents)
    {
        ArgumentNullException.ThrowIfNull(parents);
        if (parents.Count == 0)
        {
            return new PoolAttribution([], IommuUncertainty.None(0), []);
        }
        var scores = PressureClassifier.Scores(parents);
        var calmLabels = PressureClassifier.Calm(scores);
        var estimates = Overlay.Apply(Matrix(parents, Strategies), parents.Select(p => p.Host).ToArray(), calmLabels, parents.Select(p => p.SigmaDailyBps).ToArray());
        var baselines = parents.Select(Baseline.Predict).ToArray();
        var iommu = new double[parents.Count];
        var families = new (double Dma, double Service, double Queue)[parents.Count];
        IommuUncertainty uncertainty;
        MatchedEffects? matched = null;
        IReadOnlyList<LevelCorrection> corrections = [];
        if (Overlay.HasMeanSkill)
        {
            for (var i = 0; i < parents.Count; i++)
            {
                families[i] = calmLabels[i] ? (0, 0, 0) : (estimates[i].DmaJitter, estimates[i].ServiceBurst, estimates[i].QueueDecay);
            }
            var error = parents.Select((p, i) => p.IsBps - baselines[i] - estimates[i].Mean).ToArray();
            // The level from these parents' own residuals (doubly robust, per strategy): a fit carries the storm cost
            // of its training days, and a day whose symbols or storm cost less or more moves it by 5–15 % (docs/MODELS.md).
            corrections = LevelCorrection.Apply(families, calmLabels, error, [.. parents.Select(p => p.Strategy)]);
            for (var i = 0; i < parents.Count; i++)
            {
                iommu[i] = families[i].Dma + families[i].Service + families[i].Queue;
            }
            uncertainty = IommuUncertainty.ForOverlay(iommu, calmLabels, error);
        }
        else
        {
            matched = MatchedEffects.Estimate(parents, parents.Select((p, i) => p.IsBps - baselines[i]).ToArray(), calmLabels);
            if (matched.Any)
            {
                for (var i = 0; i < parents.Count; i++)
                {
                    var g = matched.Group[i];
                    families[i] = calmLabels[i] || g < 0 ? (0, 0, 0) : matched.Families[g];
                    iommu[i] = calmLabels[i] || g < 0 ? 0 : matched.Effect[g];
                }
                uncertainty = IommuUncertainty.ForMatched(iommu, calmLabels, matched);
            }
            else
            {
                uncertainty = IommuUncertainty.None(parents.Count);
            }
        }
        var pool = uncertainty.PressuredInterval();
        var result = new ParentEstimate[parents.Count];
        for (var i = 0; i < parents.Count; i++)
        {
            var p = parents[i];
            var e = estimates[i];
            var method = uncertainty.Method == IommuMethod.None ? IommuMethod.None : calmLabels[i] ? IommuMethod.CalmHurdle : uncertainty.Method;
            // Hurdle: a parent whose host showed no translation pressure over its life (calm label) carries no IOMMU
            // cost; the overlay's counterfactual there is only the trees' noise on calm host features.
            var (dma, service, queue) = families[i];
            var attribution = IommuAttribution.Net(p.DelayBps, p.ImpactBps, p.MissBps, dma, service, queue);
            var interval = uncertainty.ParentInterval(i, pool);
            result[i] = new ParentEstimate(
                p.ParentId, baselines[i], e.Mean, e.Q95, baselines[i] + e.Mean, calmLabels[i], scores[i] >= PressureClassifier.PressuredFrom, attribution,
                method, interval?.Low, interval?.High);
        }
        return new PoolAttribution(result, uncertainty, corrections);
    }

    public void Dispose() => Overlay.Dispose();

    /// <summary>The parents' overlay features, row-major, with <c>strategy_code</c> set from <paramref name="strategies"/>.</summary>
    internal static float[] Matrix(IReadOnlyList<ParentRecord> parents, IReadOnlyList<string> strategies)
    {
        var cols = OverlayFeatureSchema.Count;
        var strategyColumn = OverlayFeatureSchema.IndexOf(OverlayFeatureSchema.StrategyFeature);
        var code = strategies.Select((s, i) => (s, i)).ToDictionary(t => t.s, t => (float)t.i, StringComparer.Ordinal);
        var x = new float[parents.Count * cols];
        for (var i = 0; i < parents.Count; i++)
        {
            if (parents[i].Features.Length != cols)
            {
                throw new ArgumentException($"parent {parents[i].ParentId} has {parents[i].Features.Length} features, expected {cols}");
            }
            parents[i].Features.CopyTo(x, i * cols);
            x[(i * cols) + strategyColumn] = code.TryGetValue(parents[i].Strategy, out var c) ? c : float.NaN;
        }
        return x;
    }
}
