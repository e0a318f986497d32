namespace DmaSlip.Models.Overlay;

/// <summary>
/// The overlay's estimate for one parent, bps of Q·P_d. <see cref="Mean"/> and <see cref="Q95"/> predict the
/// residual IS − IS_hat_baseline; the three family terms split the counterfactual effect (prediction at the parent's
/// features minus prediction with its host's calm profile) by SHAP, and <see cref="Iommu"/> (their sum) is
/// Δ̂IS_iommu = C_iommu.
/// </summary>
public readonly record struct OverlayEstimate(double Mean, double Q95, double DmaJitter, double ServiceBurst, double QueueDecay)
{
    public double Iommu => DmaJitter + ServiceBurst + QueueDecay;
}
