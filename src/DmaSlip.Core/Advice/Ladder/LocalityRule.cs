using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>
/// Rung 2: align NIC queues, IRQ/CPU affinity and buffer memory on the NIC's NUMA node, for hosts whose NIC and CPUs
/// sit on different nodes or whose NIC buffers are less than <see cref="LocalShareFloor"/> local. Gain: (mean IS on
/// misplaced hosts − mean IS on well-placed peers) × misplaced share of the pool's parents.
/// </summary>
internal sealed class LocalityRule : IMitigationRule
{
    /// <summary>Share of NIC buffers on the NIC's NUMA node below which a host is misplaced.</summary>
    public const double LocalShareFloor = 0.9;

    public string Kind => MitigationKinds.Locality;

    public IEnumerable<Mitigation> Propose(AdviceInputs inputs)
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
            yield return new Mitigation(0, Kind,
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
}
