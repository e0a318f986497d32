using DmaSlip.Core.Domain;
using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>
/// Rung 1: reduce DMA map/unmap churn on the pools' churning hosts (<see cref="UnmapChurn"/>). Gain: pool IOMMU
/// uplift per parent × share of the pool's parents on churning hosts (removing the unmaps removes the flushes).
/// </summary>
internal sealed class ChurnReductionRule : IMitigationRule
{
    public string Kind => MitigationKinds.ChurnReduction;

    public IEnumerable<Mitigation> Propose(AdviceInputs inputs)
    {
        foreach (var pool in UnmapChurn.Hosts(inputs.Hosts).GroupBy(h => h.Pool, StringComparer.Ordinal))
        {
            var hosts = pool.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
            var parents = inputs.Parents.Where(p => p.Pool == pool.Key).ToArray();
            var onChurn = parents.Count(p => hosts.Contains(p.Host));
            var uplift = PoolPricing.Positive(PoolPricing.Uplift(parents));
            double? gain = uplift is { } u && parents.Length > 0 ? u * onChurn / parents.Length : null;
            yield return new Mitigation(0, Kind,
                "Reduce DMA map/unmap churn (page-pool recycling, longer-lived mappings, buffer lifecycle discipline)",
                [pool.Key], [.. hosts.Order(StringComparer.Ordinal)], gain,
                "pool IOMMU uplift per parent × share of the pool's parents on churning hosts (removing the unmaps removes the flushes)",
                new Dictionary<string, object?>
                {
                    ["unmap_rate_per_s"] = pool.ToDictionary(h => h.Host, h => Round(h.UnmapRate)),
                    ["flush_rate_per_s"] = pool.ToDictionary(h => h.Host, h => Round(h.FlushRate)),
                    ["iommu_mode"] = pool.ToDictionary(h => h.Host, h => h.Mode.Name()),
                    ["storms"] = pool.ToDictionary(h => h.Host, h => h.Storms),
                    ["pool_uplift_bps"] = uplift is { } x ? Round(x) : null,
                    ["parents_on_churning_hosts"] = onChurn,
                    ["pool_parents"] = parents.Length,
                });
        }
    }
}
