using System.Globalization;

namespace DmaSlip.Application.Modeling;

/// <summary>One line for the fit's C_iommu estimate (fit and demo output).</summary>
internal static class FitText
{
    public static string Iommu(FitIommu? c) => c is null
        ? "not estimated (no pool with a calm reference)"
        : string.Create(CultureInfo.InvariantCulture,
            $"{c.MeanBps:F3} bps, 95 % [{c.IntervalBps[0]:F3}, {c.IntervalBps[1]:F3}] ({c.Method}, {c.Parents:N0} parents under pressure){Resolution(c)}");

    private static string Resolution(FitIommu c) => c.Resolved
        ? ""
        : c.ParentsNeeded is { } n
            ? string.Create(CultureInfo.InvariantCulture, $"; not resolved at this sample size (≥ {n:N0} parents needed)")
            : "; not resolved: indistinguishable from 0";
}
