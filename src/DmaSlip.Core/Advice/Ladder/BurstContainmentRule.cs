using DmaSlip.Core.Attribution;
using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>
/// Rung 3: a burst-containment execution policy for pools with storms. Gain: (q95 IS under pressure − q95 IS in calm)
/// × share of parents under pressure (<see cref="PoolPricing.TailExcess"/>), the tail bounded recovery targets.
/// </summary>
internal sealed class BurstContainmentRule : IMitigationRule
{
    public string Kind => MitigationKinds.BurstContainment;

    public IEnumerable<Mitigation> Propose(AdviceInputs inputs)
    {
        foreach (var pool in inputs.Hosts.Where(h => h.Storms > 0).GroupBy(h => h.Pool, StringComparer.Ordinal))
        {
            var parents = inputs.Parents.Where(p => p.Pool == pool.Key).ToArray();
            var tail = PoolPricing.Positive(PoolPricing.TailExcess(parents));
            yield return new Mitigation(0, Kind,
                "Burst-containment execution policy: bounded catch-up instead of panic crossing, capped child bursts and replace rate in FLUSH_STORM",
                [pool.Key], [.. pool.Select(h => h.Host).Order(StringComparer.Ordinal)], tail,
                "(q95 IS under pressure − q95 IS in calm) × share of parents under pressure: the tail bounded recovery targets (see drill storm-containment)",
                new Dictionary<string, object?>
                {
                    ["storms"] = pool.ToDictionary(h => h.Host, h => h.Storms),
                    ["storm_time_share"] = pool.ToDictionary(h => h.Host, h => Round(h.StormTimeShare)),
                    ["parents_under_pressure"] = parents.Count(p => p.PressureBucket.IsPressure()),
                    ["pool_parents"] = parents.Length,
                });
        }
    }
}
