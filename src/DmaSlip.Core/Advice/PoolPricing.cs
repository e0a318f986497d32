using DmaSlip.Core.Attribution;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Advice;

/// <summary>What IOMMU pressure costs a pool per parent, the base the ladder's gains are priced from.</summary>
internal static class PoolPricing
{
    /// <summary>
    /// A pool's IOMMU uplift per parent (bps, averaged over all its parents): the mean C_iommu where models exist,
    /// else (mean IS under pressure − mean IS in calm) × share of parents under pressure. Null when not computable.
    /// </summary>
    public static double? Uplift(IReadOnlyList<ParentFacts> parents)
    {
        var withModel = parents.Where(p => p.CIommuBps is not null).ToArray();
        if (withModel.Length > 0)
        {
            return withModel.Average(p => p.CIommuBps!.Value);
        }
        var pressure = parents.Where(p => p.PressureBucket.IsPressure()).ToArray();
        var calm = parents.Where(p => p.PressureBucket == PressureBucket.Calm).ToArray();
        if (pressure.Length == 0 || calm.Length == 0)
        {
            return null;
        }
        return (pressure.Average(p => p.IsBps) - calm.Average(p => p.IsBps)) * pressure.Length / parents.Count;
    }

    /// <summary>Tail excess: (q95 IS under pressure − q95 IS in calm) × share under pressure; null when not computable.</summary>
    public static double? TailExcess(IReadOnlyList<ParentFacts> parents)
    {
        var pressure = parents.Where(p => p.PressureBucket.IsPressure()).Select(p => p.IsBps).ToArray();
        var calm = parents.Where(p => p.PressureBucket == PressureBucket.Calm).Select(p => p.IsBps).ToArray();
        if (pressure.Length == 0 || calm.Length == 0)
        {
            return null;
        }
        return (ExactQuantile.OfUnsorted(pressure, 0.95) - ExactQuantile.OfUnsorted(calm, 0.95)) * pressure.Length / parents.Count;
    }

    /// <summary>A gain is never negative: a mitigation cannot be priced as making things worse than doing nothing.</summary>
    internal static double? Positive(double? v) => v is { } x ? Math.Max(0, x) : null;
}
