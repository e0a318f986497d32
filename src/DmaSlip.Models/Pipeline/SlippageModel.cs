using DmaSlip.Models.Baseline;
using DmaSlip.Models.Features;
using DmaSlip.Models.Matching;
using DmaSlip.Models.Overlay;

namespace DmaSlip.Models.Pipeline;

/// <summary>Everything one fit reports: the baseline coefficients, the overlay's held-out metrics and the matching.</summary>
public sealed record FitReport(BaselineStack Baseline, OverlayMetrics Overlay, MatchingReport Matching, int Parents, int CalmParents, int PressuredParents);

/// <summary>
/// The slippage stack of one scope (a host pool): classical baseline + IOMMU overlay. Trained from realized data only:
/// calm/pressured labels come from host features (<see cref="PressureClassifier"/>), the overlay's target is the
/// baseline residual. The simulator's truth never enters a fit.
/// </summary>
public sealed class SlippageModel(BaselineStack baseline, IommuOverlay overlay) : IDisposable
{
    public BaselineStack Baseline { get; } = baseline;

    public IommuOverlay Overlay { get; } = overlay;

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
        var x = Matrix(ordered);
        // Leaves of at most 1/20 of the parents (20–the configured size): a small pool still gets splits to judge.
        var leaf = Math.Clamp(ordered.Length / 20, 20, options.Mean.MinDataInLeaf);
        var sized = options with { Mean = options.Mean with { MinDataInLeaf = leaf }, Q95 = options.Q95 with { MinDataInLeaf = Math.Clamp(ordered.Length / 20, 20, options.Q95.MinDataInLeaf) } };
        var overlay = IommuOverlay.Fit(x, residual.Select(r => (float)r).ToArray(), calm, ordered.Select(p => p.Host).ToArray(), sized,
            options.VolatilityScaling ? ordered.Select(p => p.SigmaDailyBps).ToArray() : null);
        var matching = MatchedWindows.Run(ordered, residual, calm, pressured);
        var report = new FitReport(baseline, overlay.Metrics, matching, ordered.Length, calm.Count(c => c), pressured.Count(p => p));
        return (new SlippageModel(baseline, overlay), report);
    }

    /// <summary>Estimates for <paramref name="parents"/> (any order; results follow the input order).</summary>
    public IReadOnlyList<ParentEstimate> Apply(IReadOnlyList<ParentRecord> parents)
    {
        ArgumentNullException.ThrowIfNull(parents);
        if (parents.Count == 0)
        {
            return [];
        }
        var scores = PressureClassifier.Scores(parents);
        var calmLabels = PressureClassifier.Calm(scores);
        var estimates = Overlay.Apply(Matrix(parents), parents.Select(p => p.Host).ToArray(), calmLabels, parents.Select(p => p.SigmaDailyBps).ToArray());
        var result = new ParentEstimate[parents.Count];
        for (var i = 0; i < parents.Count; i++)
        {
            var p = parents[i];
            var e = estimates[i];
            var baseline = Baseline.Predict(p);
            // Hurdle: a parent whose host showed no translation pressure over its life (calm label) carries no IOMMU
            // cost; the overlay's counterfactual there is only the trees' noise on calm host features.
            var calm = calmLabels[i];
            var attribution = calm
                ? IommuAttribution.Net(p.DelayBps, p.ImpactBps, p.MissBps, 0, 0, 0)
                : IommuAttribution.Net(p.DelayBps, p.ImpactBps, p.MissBps, e.DmaJitter, e.ServiceBurst, e.QueueDecay);
            result[i] = new ParentEstimate(
                p.ParentId, baseline, e.Mean, e.Q95, baseline + e.Mean, calm, scores[i] >= PressureClassifier.PressuredFrom, attribution);
        }
        return result;
    }

    public void Dispose() => Overlay.Dispose();

    internal static float[] Matrix(IReadOnlyList<ParentRecord> parents)
    {
        var cols = OverlayFeatureSchema.Count;
        var x = new float[parents.Count * cols];
        for (var i = 0; i < parents.Count; i++)
        {
            if (parents[i].Features.Length != cols)
            {
                throw new ArgumentException($"parent {parents[i].ParentId} has {parents[i].Features.Length} features, expected {cols}");
            }
            parents[i].Features.CopyTo(x, i * cols);
        }
        return x;
    }
}
