using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>
/// Rung 4: topology-aware routing from a pool with storm time to pools with less than half its storm share. Gain:
/// pool IOMMU uplift per parent × urgent share of its parents (the flow routing can move).
/// </summary>
internal sealed class RoutingRule : IMitigationRule
{
    public string Kind => MitigationKinds.Routing;

    public IEnumerable<Mitigation> Propose(AdviceInputs inputs)
    {
        var poolStorm = inputs.Hosts.GroupBy(h => h.Pool, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(h => h.StormTimeShare), StringComparer.Ordinal);
        foreach (var (pool, share) in poolStorm.Where(kv => kv.Value > 0))
        {
            var refuge = poolStorm.Where(kv => kv.Key != pool && kv.Value < share / 2).OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
            if (refuge.Length == 0)
            {
                continue;
            }
            var parents = inputs.Parents.Where(p => p.Pool == pool).ToArray();
            var urgent = parents.Count(p => p.Urgency is "high" or "urgent" or "critical");
            var uplift = PoolPricing.Positive(PoolPricing.Uplift(parents));
            double? gain = uplift is { } u && parents.Length > 0 ? u * urgent / parents.Length : null;
            yield return new Mitigation(0, Kind,
                "Topology-aware routing: send urgent flow away from hosts/queues with rising DFI/PSO to validated low-pressure pools",
                [pool, .. refuge], [.. inputs.Hosts.Where(h => h.Pool == pool && h.Storms > 0).Select(h => h.Host)], gain,
                "pool IOMMU uplift per parent × urgent share of its parents (the flow routing can move)",
                new Dictionary<string, object?>
                {
                    ["storm_time_share"] = Round(share),
                    ["low_pressure_pools"] = refuge.ToDictionary(p => p, p => Round(poolStorm[p])),
                    ["urgent_parents"] = urgent,
                    ["pool_parents"] = parents.Length,
                });
        }
    }
}
