using DmaSlip.Core.Domain;
using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>Hosts that run the NIC's IOMMU group in passthrough (no DMA isolation) with no security review recorded.</summary>
internal sealed class PassthroughWithoutReviewDetector : IAntiPatternDetector
{
    public string Kind => AntiPatternKinds.PassthroughUnreviewed;

    public IEnumerable<Finding> Detect(AdviceInputs inputs)
    {
        var bad = inputs.Hosts.Where(h => h.Mode == IommuMode.Passthrough && string.IsNullOrWhiteSpace(h.SecurityReview)).ToArray();
        if (bad.Length > 0)
        {
            yield return new Finding(Kind, "high", [.. bad.Select(h => h.Host)],
                F($"{bad.Length} host(s) run the NIC's IOMMU group in passthrough (no DMA isolation) with no security review recorded in hosts.security_review"),
                new Dictionary<string, object?> { ["pools"] = bad.Select(h => h.Pool).Distinct(StringComparer.Ordinal).ToArray() });
        }
    }
}
