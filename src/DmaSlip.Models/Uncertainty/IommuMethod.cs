namespace DmaSlip.Models.Uncertainty;

/// <summary>How a parent's C_iommu was estimated (stored as text in <c>parent_outcomes.iommu_method</c>).</summary>
public enum IommuMethod
{
    /// <summary>No estimate: no calm reference to compare with (C_iommu null).</summary>
    None,

    /// <summary>The LightGBM overlay's counterfactual; used where the overlay showed skill on its validation split.</summary>
    Overlay,

    /// <summary>Matched market windows: the parent's stratum's mean residual under pressure minus calm (bootstrap CI).</summary>
    MatchedWindows,

    /// <summary>The parent's host showed no translation pressure over its life: C_iommu = 0 by the hurdle rule.</summary>
    CalmHurdle,
}

/// <summary>Stable text names of <see cref="IommuMethod"/>.</summary>
public static class IommuMethods
{
    public static string Name(IommuMethod method) => method switch
    {
        IommuMethod.Overlay => "overlay",
        IommuMethod.MatchedWindows => "matched-windows",
        IommuMethod.CalmHurdle => "calm-hurdle",
        _ => "none",
    };
}
