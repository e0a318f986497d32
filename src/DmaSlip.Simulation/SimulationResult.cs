using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Execution;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Market;

namespace DmaSlip.Simulation;

/// <summary>
/// One parent order's outcome in the real run and in the calm twin (same market, same arrivals, same fill rules;
/// only the host differs). Bps are of Q·P_d; "calm" = the twin.
/// </summary>
public sealed record SimulatedParent(
    ParentOrder Order,
    long ExecutedQty,
    double IsBps,
    double DelayBps,
    double ImpactBps,
    double MissBps,
    long CalmExecutedQty,
    double CalmIsBps,
    double CalmDelayBps,
    double CalmImpactBps,
    double CalmMissBps,
    int Children,
    int Replaces,
    double PassiveFillRatio,
    double MeanSendDelayUs,
    bool InStorm,
    bool InVenueShock)
{
    public double DeltaIsBps => IsBps - CalmIsBps;
}

/// <summary>Everything a run produced: inventory, orders, per-parent real-vs-twin outcomes and the ground truth.</summary>
public sealed partial class SimulationResult
{
    private readonly byte[][][] _truth;
    private readonly int _windowMs;

    internal SimulationResult(
        Scenario scenario, long seed, IReadOnlyList<HostInfo> hosts, IReadOnlyList<SimulatedParent> parents,
        byte[][][] truth, int windowMs, IReadOnlyList<RegimeTransition> transitions, IReadOnlyList<MarketTape> tapes,
        List<FixEvent> fix, IReadOnlyList<HostTimeline> timelines, IReadOnlyList<ParentSpec> specs)
    {
        Scenario = scenario;
        Seed = seed;
        Hosts = hosts;
        Parents = parents;
        _truth = truth;
        _windowMs = windowMs;
        Transitions = transitions;
        Tapes = tapes;
        Fix = fix;
        Timelines = timelines;
        Specs = specs;
        StormPools = scenario.Storms.Select(s => s.Pool).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        TruthParents = parents.Select(p => new TruthParent(
            p.Order.ParentId, p.Order.Host, p.Order.Pool, p.Order.Symbol, p.IsBps, p.CalmIsBps, p.IsBps - p.CalmIsBps,
            p.DelayBps - p.CalmDelayBps, p.ImpactBps - p.CalmImpactBps, p.MissBps - p.CalmMissBps, p.InStorm)).ToArray();
    }

    public Scenario Scenario { get; }

    public long Seed { get; }

    public IReadOnlyList<HostInfo> Hosts { get; }

    public IReadOnlyList<string> StormPools { get; }

    public IReadOnlyList<SimulatedParent> Parents { get; }

    public IReadOnlyList<TruthParent> TruthParents { get; }

    /// <summary>The real hosts' frames when <see cref="SimulationOptions.KeepFrames"/> was set (host order, then time).</summary>
    public IReadOnlyList<HostFrame> Frames { get; internal init; } = [];

    /// <summary>Regime changes the policy provider reported on the real hosts.</summary>
    public IReadOnlyList<RegimeTransition> Transitions { get; }

    /// <summary>The output folder, when one was written.</summary>
    public string? OutputDir { get; internal init; }

    /// <summary>Files written when <see cref="SimulationOptions.OutputDir"/> was set (relative paths, sorted).</summary>
    public IReadOnlyList<string> Files { get; set; } = [];

    internal IReadOnlyList<MarketTape> Tapes { get; }

    internal List<FixEvent> Fix { get; }

    internal IReadOnlyList<HostTimeline> Timelines { get; }

    internal IReadOnlyList<ParentSpec> Specs { get; }

    /// <summary>Ground-truth pressure state of every (host, queue, window): calm, pressure or storm.</summary>
    public IEnumerable<TruthWindow> TruthWindows()
    {
        for (var h = 0; h < Hosts.Count; h++)
        {
            var host = Hosts[h].Host;
            for (var q = 0; q < _truth[h].Length; q++)
            {
                var states = _truth[h][q];
                for (var w = 0; w < states.Length; w++)
                {
                    yield return new TruthWindow(host, q, Scenario.SessionStartNs + (long)w * _windowMs * Time.NanosPerMilli, PressureState.Name(states[w]));
                }
            }
        }
    }
}
