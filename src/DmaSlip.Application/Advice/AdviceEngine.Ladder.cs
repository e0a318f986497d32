using DmaSlip.Core.Domain;

namespace DmaSlip.Application.Advice;

internal static partial class AdviceEngine
{
    private static IEnumerable<Mitigation> ChurnReduction(AdviceInputs inputs, IReadOnlyList<HostFacts> churn)
    {
        foreach (var pool in churn.GroupBy(h => h.Pool, StringComparer.Ordinal))
        {
            var hosts = pool.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
            var parents = inputs.Parents.Where(p => p.Pool == pool.Key).ToArray();
            var onChurn = parents.Count(p => hosts.Contains(p.Host));
            var uplift = Positive(PoolUplift(parents));
            double? gain = uplift is { } u && parents.Length > 0 ? u * onChurn / parents.Length : null;
            yield return new Mitigation(0, MitigationKinds.ChurnReduction,
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

    private static IEnumerable<Mitigation> Locality(AdviceInputs inputs)
    {
        var misplaced = inputs.Hosts.Where(h => h.Frames > 0 && (h.NicNuma != h.CpuNuma || h.NumaLocalShare < LocalShareFloor)).ToArray();
        foreach (var pool in misplaced.GroupBy(h => h.Pool, StringComparer.Ordinal))
        {
            var hosts = pool.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
            var poolParents = inputs.Parents.Where(p => p.Pool == pool.Key).ToArray();
            var bad = poolParents.Where(p => hosts.Contains(p.Host)).ToArray();
            // Peers: the pool's well-placed hosts, else every well-placed host in the fleet.
            var good = poolParents.Where(p => !hosts.Contains(p.Host)).ToArray();
            if (good.Length == 0)
            {
                var misplacedAll = misplaced.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
                good = inputs.Parents.Where(p => !misplacedAll.Contains(p.Host)).ToArray();
            }
            double? diff = bad.Length > 0 && good.Length > 0 ? bad.Average(p => p.IsBps) - good.Average(p => p.IsBps) : null;
            double? gain = diff is { } d && poolParents.Length > 0 ? Math.Max(0, d) * bad.Length / poolParents.Length : null;
            yield return new Mitigation(0, MitigationKinds.Locality,
                "Align NIC queues, IRQ/CPU affinity and buffer memory on the NIC's NUMA node",
                [pool.Key], [.. hosts.Order(StringComparer.Ordinal)], gain,
                "(mean IS on misplaced hosts − mean IS on well-placed peers) × misplaced share of the pool's parents",
                new Dictionary<string, object?>
                {
                    ["nic_numa_node"] = pool.ToDictionary(h => h.Host, h => h.NicNuma),
                    ["cpu_numa_node"] = pool.ToDictionary(h => h.Host, h => h.CpuNuma),
                    ["numa_local_share"] = pool.ToDictionary(h => h.Host, h => h.NumaLocalShare is { } s ? Round(s) : (double?)null),
                    ["mean_is_misplaced_bps"] = bad.Length > 0 ? Round(bad.Average(p => p.IsBps)) : null,
                    ["mean_is_peers_bps"] = good.Length > 0 ? Round(good.Average(p => p.IsBps)) : null,
                });
        }
    }

    private static IEnumerable<Mitigation> BurstContainment(AdviceInputs inputs)
    {
        foreach (var pool in inputs.Hosts.Where(h => h.Storms > 0).GroupBy(h => h.Pool, StringComparer.Ordinal))
        {
            var parents = inputs.Parents.Where(p => p.Pool == pool.Key).ToArray();
            var tail = Positive(PoolTailExcess(parents));
            yield return new Mitigation(0, MitigationKinds.BurstContainment,
                "Burst-containment execution policy: bounded catch-up instead of panic crossing, capped child bursts and replace rate in FLUSH_STORM",
                [pool.Key], [.. pool.Select(h => h.Host).Order(StringComparer.Ordinal)], tail,
                "(q95 IS under pressure − q95 IS in calm) × share of parents under pressure: the tail bounded recovery targets (see drill storm-containment)",
                new Dictionary<string, object?>
                {
                    ["storms"] = pool.ToDictionary(h => h.Host, h => h.Storms),
                    ["storm_time_share"] = pool.ToDictionary(h => h.Host, h => Round(h.StormTimeShare)),
                    ["parents_under_pressure"] = parents.Count(p => IsPressure(p.PressureBucket)),
                    ["pool_parents"] = parents.Length,
                });
        }
    }

    private static IEnumerable<Mitigation> Routing(AdviceInputs inputs)
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
            var uplift = Positive(PoolUplift(parents));
            double? gain = uplift is { } u && parents.Length > 0 ? u * urgent / parents.Length : null;
            yield return new Mitigation(0, MitigationKinds.Routing,
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

    private static IEnumerable<Mitigation> Recalibration(AdviceInputs inputs)
    {
        var changed = inputs.Hosts.Where(h => h.Fingerprints > 1
            && (inputs.LatestModel is null || h.LastConfigChangeNs > inputs.LatestModel.DataToNs)).ToArray();
        if (changed.Length == 0)
        {
            yield break;
        }
        yield return new Mitigation(0, MitigationKinds.Recalibration,
            "Change-aware recalibration: refit the overlay for hosts whose kernel/NIC driver/IOMMU config changed after the model's data",
            [.. changed.Select(h => h.Pool).Distinct(StringComparer.Ordinal)], [.. changed.Select(h => h.Host)], null,
            "not priced in bps: a stale model misprices every parent on these hosts until refit",
            new Dictionary<string, object?>
            {
                ["config_changed_ns"] = changed.ToDictionary(h => h.Host, h => h.LastConfigChangeNs),
                ["model"] = inputs.LatestModel?.ModelId,
                ["model_data_to_ns"] = inputs.LatestModel?.DataToNs,
            });
    }
}
