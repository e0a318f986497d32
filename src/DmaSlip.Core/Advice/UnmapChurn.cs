using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Advice;

/// <summary>Hosts whose unmap churn stands out: translation on, storms seen, unmap rate well above storm-free peers.</summary>
internal static class UnmapChurn
{
    /// <summary>A host churns when its median unmap rate is at least this multiple of the storm-free hosts' median.</summary>
    public const double Factor = 1.5;

    /// <summary>Unmap rate (per s, per queue) counted as churn when no storm-free host exists to compare with.</summary>
    public const double AbsoluteUnmapsPerSecond = 1000;

    public static IReadOnlyList<HostFacts> Hosts(IReadOnlyList<HostFacts> hosts)
    {
        var calm = hosts.Where(h => h.Storms == 0 && h.Frames > 0).Select(h => h.UnmapRate).ToArray();
        var reference = calm.Length > 0 ? ExactQuantile.OfUnsorted(calm, 0.5) : double.NaN;
        return hosts.Where(h => h.Mode != IommuMode.Passthrough && h.Storms > 0 && h.Frames > 0
            && (double.IsNaN(reference) ? h.UnmapRate >= AbsoluteUnmapsPerSecond : h.UnmapRate >= Factor * reference)).ToArray();
    }
}
