namespace DmaSlip.Models.Overlay;

/// <summary>Held-out quality of the overlay (validation = the latest share of parents by arrival).</summary>
public sealed record OverlayMetrics(
    double Rmse,
    double Mae,
    double ConstantRmse,
    double Pinball,
    double Coverage,
    int MeanIterations,
    int Q95Iterations,
    int TrainRows,
    int ValidationRows)
{
    /// <summary>The calibration slope applied to the mean booster (1 = none).</summary>
    public double Slope { get; init; } = 1;
}
