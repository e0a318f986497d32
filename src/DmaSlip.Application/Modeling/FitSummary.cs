namespace DmaSlip.Application.Modeling;

/// <summary>What <c>dmaslip fit --json</c> prints (snake_case, as the CLI's JSON output writes it).</summary>
internal sealed record FitSummary(
    FitBaseline Baseline,
    FitOverlay Overlay,
    FitMatching Matching,
    FitTruth? Truth,
    IReadOnlyList<StaleModel> Stale,
    IReadOnlyList<FitModel> Models,
    int ParentsWithoutModel,
    FitIommu? CIommu);

/// <summary>
/// The mean C_iommu over the parents under translation pressure (not calm-labelled), bps, with its 95 % interval, the
/// method(s) behind it, <c>resolved</c> (the interval excludes 0), <c>mde_bps</c> (the smallest effect this sample
/// resolves, 80 % power) and <c>parents_needed</c> (null when resolved): docs/METRICS.md, "C_iommu intervals".
/// <c>level_corrections</c>: per pool and strategy, how far the day's own residuals moved the overlay's level
/// (docs/METRICS.md, "Doubly robust level").
/// </summary>
internal sealed record FitIommu(double MeanBps, double[] IntervalBps, string Method, bool Resolved, double MdeBps, int Parents, int? ParentsNeeded)
{
    public IReadOnlyList<FitLevelCorrection> LevelCorrections { get; init; } = [];
}

/// <summary>One <see cref="Models.Pipeline.LevelCorrection"/> row of a pool.</summary>
internal sealed record FitLevelCorrection(string Pool, string Strategy, int Parents, double ShiftBps, double StandardErrorBps, double AppliedBps);

internal sealed record FitBaseline(int Parents, int CalmParents, int PressuredParents, IReadOnlyList<FitBucket> Buckets);

/// <summary>One baseline fit cell ("strategy/liquidity", a strategy, or "pooled") with its market-move weights ω₁, ω₂.</summary>
internal sealed record FitBucket(
    string Scope, string Bucket, double Eta, double Beta, double C0, double SpreadWeight, double DeadlinePremium, int Observations,
    double EarlyMoveWeight, double LateMoveWeight);

internal sealed record FitOverlay(FitOverlayMean Mean, FitOverlayQ95 Q95);

internal sealed record FitOverlayMean(double? Rmse, double? Mae, double? ConstantRmse);

internal sealed record FitOverlayQ95(double? Pinball, double? Coverage);

internal sealed record FitMatching(int Strata, double MatchedShare, double MaxSmd, double MaxSmdBefore, double? AttBps, double? AttCiLowBps, double? AttCiHighBps);

/// <summary>
/// Against the simulator's truth: <c>mean_rel_error</c> = |mean C_iommu − mean Δ| / |mean Δ| over in-storm parents;
/// <c>q95_coverage</c> = share of parents with IS − IS_hat_baseline ≤ Δ̂IS_q95; <c>venue_shock_iommu_share</c> =
/// Σ max(C_iommu, 0) / Σ max(IS − IS_hat_baseline, 0) over parents whose true uplift is 0 (cost the model calls IOMMU
/// out of the excess cost that truly is not); <c>storm_model_interval_bps</c> = the 95 % interval of the model's mean
/// C_iommu over the in-storm parents (<c>storm_model_mean_bps</c>), <c>storm_interval_covers_truth</c> whether it holds
/// <c>storm_true_mean_bps</c>; <c>flush_storm_label_precision/recall</c>: the attribution's flush-storm branch label
/// against <c>truth_parent.in_storm</c>; <c>labels_vs_truth</c>: per branch label, how many of its parents were in a
/// storm and how many were not (the calibration table of docs/METRICS.md).
/// </summary>
internal sealed record FitTruth(double? MeanRelError, double? StormTrueMeanBps, double? StormModelMeanBps, double? Q95Coverage, double? VenueShockIommuShare, double CalmMeanAbsIommuBps, int Parents,
    double[]? StormModelIntervalBps, bool? StormIntervalCoversTruth, string? StormMethod, double? FlushStormLabelPrecision, double? FlushStormLabelRecall,
    IReadOnlyDictionary<string, FitLabelTruth> LabelsVsTruth);

/// <summary>Parents of one branch label whose home host had a storm during their life, and those whose host had none.</summary>
internal sealed record FitLabelTruth(int InStorm, int NotInStorm);

internal sealed record StaleModel(string ModelId, string Scope, IReadOnlyList<string> Reasons);

internal sealed record FitModel(string ModelId, string Scope, int Version, bool Refit, int Parents, string Path);
