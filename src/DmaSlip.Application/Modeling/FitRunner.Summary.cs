using DmaSlip.Core.Domain;
using DmaSlip.Models.Baseline;
using DmaSlip.Models.Pipeline;
using DmaSlip.Storage;

namespace DmaSlip.Application.Modeling;

internal static partial class FitRunner
{
    private static FitTruth Truth(DmaSlipStore store, List<(string Pool, List<ParentRecord> Parents, PoolAttribution Attribution)> pools, Dictionary<string, ParentEstimate> estimates,
        Dictionary<string, ParentOutcome> outcomes)
    {
        var truth = store.Query<TruthParent>().ToDictionary(t => t.ParentId, StringComparer.Ordinal);
        var rows = pools.SelectMany(p => p.Parents).Where(r => estimates.ContainsKey(r.ParentId) && truth.ContainsKey(r.ParentId))
            .Select(r => (R: r, E: estimates[r.ParentId], T: truth[r.ParentId])).ToList();
        var storm = rows.Where(x => x.T.InStorm).ToList();
        var stormInterval = StormInterval(pools, truth);
        double? trueMean = storm.Count == 0 ? null : storm.Average(x => x.T.DeltaIsBps);
        double? modelMean = stormInterval?.MeanBps;
        double? relError = trueMean is { } t && modelMean is { } m && Math.Abs(t) > 1e-9 ? Math.Abs(m - t) / Math.Abs(t) : null;
        double? coverage = rows.Count == 0 ? null : rows.Average(x => x.R.IsBps - x.E.BaselineBps <= x.E.OverlayQ95Bps ? 1.0 : 0.0);
        var zero = rows.Where(x => x.T.DeltaIsBps == 0).ToList();
        var excess = zero.Sum(x => Math.Max(x.R.IsBps - x.E.BaselineBps, 0));
        double? venueShare = zero.Count == 0 || excess <= 0 ? null : zero.Sum(x => Math.Max(x.E.Attribution.IommuBps, 0)) / excess;
        var calm = rows.Where(x => !x.T.InStorm).ToList();
        var calmAbs = calm.Count == 0 ? 0 : calm.Average(x => Math.Abs(x.E.Attribution.IommuBps));
        double[]? interval = stormInterval is null ? null : [stormInterval.LowBps, stormInterval.HighBps];
        // Branch labels against the truth: flush-storm (DFI ≥ 80 held 1 s) vs "the home host had a storm during the life".
        var labelled = outcomes.Values.Where(o => truth.ContainsKey(o.ParentId)).Select(o => (Storm: o.Branch == "flush-storm", Truth: truth[o.ParentId].InStorm, o.Branch)).ToList();
        var labels = labelled.GroupBy(x => x.Branch, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new FitLabelTruth(g.Count(x => x.Truth), g.Count(x => !x.Truth)), StringComparer.Ordinal);
        var tp = labelled.Count(x => x.Storm && x.Truth);
        double? precision = labelled.Any(x => x.Storm) ? (double)tp / labelled.Count(x => x.Storm) : null;
        double? recall = labelled.Any(x => x.Truth) ? (double)tp / labelled.Count(x => x.Truth) : null;
        return new FitTruth(relError, trueMean, modelMean, coverage, venueShare, calmAbs, rows.Count, interval,
            stormInterval is { } s && trueMean is { } tm ? s.LowBps <= tm && tm <= s.HighBps : null, stormInterval?.Method, precision, recall, labels);
    }

    private static FitSummary Summarize(List<(string Scope, FitReport Report)> reports, FitTruth? truth, List<StaleModel> stale, List<FitModel> models, int withoutModel, FitIommu? cIommu)
    {
        var buckets = reports.SelectMany(x =>
            x.Report.Baseline.Buckets.Append(new KeyValuePair<string, ImpactCoefficients>("pooled", x.Report.Baseline.Pooled))
                .Select(b => new FitBucket(x.Scope, b.Key, b.Value.Eta, b.Value.Beta, b.Value.C0, b.Value.SpreadWeight, b.Value.DeadlinePremium,
                    b.Value.Observations, b.Value.EarlyMoveWeight, b.Value.LateMoveWeight)))
            .ToList();
        var baseline = new FitBaseline(reports.Sum(r => r.Report.Parents), reports.Sum(r => r.Report.CalmParents), reports.Sum(r => r.Report.PressuredParents), buckets);
        var valid = reports.Where(r => r.Report.Overlay.ValidationRows > 0).ToList();
        double? Weighted(Func<FitReport, double> f)
        {
            var w = valid.Sum(r => r.Report.Overlay.ValidationRows);
            return w == 0 ? null : valid.Sum(r => f(r.Report) * r.Report.Overlay.ValidationRows) / w;
        }
        var overlay = new FitOverlay(
            new FitOverlayMean(Weighted(r => r.Overlay.Rmse), Weighted(r => r.Overlay.Mae), Weighted(r => r.Overlay.ConstantRmse)),
            new FitOverlayQ95(Weighted(r => r.Overlay.Pinball), Weighted(r => r.Overlay.Coverage)));
        var pressured = reports.Sum(r => r.Report.Matching.PressuredParents);
        var matchedPressured = reports.Sum(r => r.Report.Matching.MatchedShare * r.Report.Matching.PressuredParents);
        var withAtt = reports.Where(r => double.IsFinite(r.Report.Matching.AttBps)).ToList();
        var attWeight = withAtt.Sum(r => r.Report.Matching.PressuredParents);
        double? Att(Func<FitReport, double> f) => attWeight == 0 ? null : withAtt.Sum(r => f(r.Report) * r.Report.Matching.PressuredParents) / attWeight;
        var matching = new FitMatching(
            reports.Sum(r => r.Report.Matching.Strata),
            pressured == 0 ? 1 : matchedPressured / pressured,
            reports.Count == 0 ? 0 : reports.Max(r => r.Report.Matching.MaxSmdAfter),
            reports.Count == 0 ? 0 : reports.Max(r => r.Report.Matching.MaxSmdBefore),
            Att(r => r.Matching.AttBps), Att(r => r.Matching.AttCiLowBps), Att(r => r.Matching.AttCiHighBps));
        return new FitSummary(baseline, overlay, matching, truth, stale, models, withoutModel, cIommu);
    }
}
