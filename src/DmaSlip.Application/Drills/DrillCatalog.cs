using DmaSlip.Core.Control;

namespace DmaSlip.Application.Drills;

/// <summary>The drills of <c>dmaslip drill</c>, in the order <c>all</c> runs them.</summary>
internal static class DrillCatalog
{
    public static IReadOnlyList<IDrill> All(RegimeControllerConfig config) =>
    [
        new FlushBurstReplayDrill(FlushBurstReplayDrill.Synthetic, config),
        new StormContainmentDrill(),
        new ConfounderSeparationDrill(config),
        new FallbackPathDrill(config),
    ];

    public static IReadOnlyList<IDrill> Select(string name, RegimeControllerConfig config)
    {
        var all = All(config);
        if (string.Equals(name, "all", StringComparison.OrdinalIgnoreCase))
        {
            return all;
        }
        var d = all.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
        return d is null
            ? throw new UsageException($"unknown drill '{name}' (expected all, {string.Join(", ", all.Select(x => x.Name))})")
            : [d];
    }
}
