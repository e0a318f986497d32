namespace DmaSlip.Models.Features;

/// <summary>
/// Which C_iommu term a feature's SHAP contribution counts toward (DESIGN §4.4). <see cref="Market"/> features
/// condition the overlay on the market state; their contributions are never IOMMU cost.
/// </summary>
public enum FeatureFamily
{
    DmaJitter,
    ServiceBurst,
    QueueDecay,
    Market,
}
