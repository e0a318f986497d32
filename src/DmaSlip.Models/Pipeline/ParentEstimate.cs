namespace DmaSlip.Models.Pipeline;

/// <summary>
/// The models' output for one parent (bps of Q·P_d): IS_hat_baseline, the overlay's Δ̂IS_mean and Δ̂IS_q95 of the
/// residual, IS_hat_final = IS_hat_baseline + Δ̂IS_mean, and the attribution with net classical terms: by
/// <see cref="Method"/> (the overlay, matched windows, or the calm hurdle), with C_iommu's 95 % interval
/// (<see cref="IommuLowBps"/>, <see cref="IommuHighBps"/>). Without any estimate (<see cref="Uncertainty.IommuMethod.None"/>)
/// the attribution holds the gross classical terms and C_iommu is unknown (null when stored), never 0.
/// </summary>
public sealed record ParentEstimate(
    string ParentId,
    double BaselineBps,
    double OverlayMeanBps,
    double OverlayQ95Bps,
    double FinalBps,
    bool Calm,
    bool Pressured,
    IommuAttribution Attribution,
    Uncertainty.IommuMethod Method = Uncertainty.IommuMethod.Overlay,
    double? IommuLowBps = null,
    double? IommuHighBps = null)
{
    public bool HasIommu => Method != Uncertainty.IommuMethod.None;
}
