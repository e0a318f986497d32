using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Market;

namespace DmaSlip.Simulation.Execution;

/// <summary>What one run (real or twin) of the execution engine reads: the market, the hosts' timelines, the venue.</summary>
internal sealed class RunContext(
    Scenario scenario,
    IReadOnlyList<MarketTape> tapes,
    IReadOnlyList<HostTimeline> hosts,
    IReadOnlyList<int> fallbackHosts,
    VenueLatency venue,
    long seed)
{
    /// <summary>Seed of the host packet-loss draws (common to the real run and the twin).</summary>
    public ulong LossSeed { get; } = Loss.SeedOf(seed);

    public Scenario Scenario { get; } = scenario;

    public IReadOnlyList<MarketTape> Tapes { get; } = tapes;

    public IReadOnlyList<HostTimeline> Hosts { get; } = hosts;

    /// <summary>Hosts of validated low-pressure pools, for the policy's routing preference.</summary>
    public IReadOnlyList<int> FallbackHosts { get; } = fallbackHosts;

    public VenueLatency Venue { get; } = venue;
}
