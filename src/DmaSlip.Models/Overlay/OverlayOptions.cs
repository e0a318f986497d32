using DmaSlip.Models.Features;
using DmaSlip.Models.Gbm;

namespace DmaSlip.Models.Overlay;

/// <summary>How the overlay trains: base booster parameters, early-stopping grid and the validation share.</summary>
public sealed record OverlayOptions
{
    public GbmParameters Mean { get; init; } = new() { Objective = GbmObjective.L2, Iterations = 300, CategoricalFeatures = Categorical };

    public GbmParameters Q95 { get; init; } = new() { Objective = GbmObjective.Quantile, Alpha = 0.95, Iterations = 300, CategoricalFeatures = Categorical };

    /// <summary>The overlay's categorical columns: the strategy code.</summary>
    private static readonly int[] Categorical = [OverlayFeatureSchema.IndexOf(OverlayFeatureSchema.StrategyFeature)];

    /// <summary>Iteration counts are scored on the validation split every this many trees (0 trees = a constant).</summary>
    public int EvaluationStep { get; init; } = 10;

    /// <summary>Share of parents held out (every k-th by arrival) to pick the tree count, calibrate and report metrics.</summary>
    public double ValidationShare { get; init; } = 0.25;

    /// <summary>
    /// Fewer validation rows than this cannot tell skill from chance: both boosters are then constants (C_iommu = 0).
    /// On the demo's 97-parent pool (24 validation rows) a 0.1 % "improvement" picked 10 trees of noise.
    /// </summary>
    public int MinValidationRows { get; init; } = 100;

    /// <summary>
    /// Fit the boosters on the volatility-scaled residual (<see cref="IommuOverlay.SigmaReferenceBps"/>). Off by
    /// default: on held-out simulated days it neither helped nor hurt on balance (docs/MODELS.md, fourth session), and
    /// its linear extrapolation doubled the estimate on a day with a faster symbol than the fit had seen.
    /// </summary>
    public bool VolatilityScaling { get; init; }

    /// <summary>Refit on all rows with the chosen tree count after validation (off for benchmarks).</summary>
    public bool RefitOnAll { get; init; } = true;

    /// <summary>
    /// The refit on all rows runs only below this many rows: above it the validation split's training share is
    /// already large (750 k of 1 M), and the refit was about a third of a 1 M-parent fit (docs/PERFORMANCE.md).
    /// </summary>
    public int RefitMaxRows { get; init; } = 200_000;
}
