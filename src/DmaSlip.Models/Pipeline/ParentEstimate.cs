namespace DmaSlip.Models.Pipeline;

/// <summary>
/// The models' output for one parent (bps of Q·P_d): IS_hat_baseline, the overlay's Δ̂IS_mean and Δ̂IS_q95 of the
/// residual, IS_hat_final = IS_hat_baseline + Δ̂IS_mean, and the attribution with net classical terms.
/// </summary>
public sealed record ParentEstimate(
    string ParentId,
    double BaselineBps,
    double OverlayMeanBps,
    double OverlayQ95Bps,
    double FinalBps,
    bool Calm,
    bool Pressured,
    IommuAttribution Attribution);
