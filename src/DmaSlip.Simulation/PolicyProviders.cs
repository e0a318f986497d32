using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation;

/// <summary>
/// Where a simulated host's execution policy comes from. The simulator asks for one <see cref="IHostPolicySource"/>
/// per host and run (the real run and the calm twin each get their own), feeds it the host frames the on-host
/// agent would compute, and records every policy/regime change; the execution engine then follows that timeline
/// (pacing, burst, spacing, replace cap, catch-up mode, routing between pools, completion mode).
/// </summary>
public interface IPolicyProvider
{
    IHostPolicySource ForHost(HostInfo host, bool twin);
}

/// <summary>The policy state of one host, updated from its frames.</summary>
public interface IHostPolicySource
{
    /// <summary>A host frame of one queue closed (frames arrive in time order per queue).</summary>
    void OnFrame(HostFrame frame);

    ExecutionPolicy Policy { get; }

    Regime Regime { get; }
}

/// <summary>A fixed policy on every host (the default; the drills compare panic against bounded with it).</summary>
public sealed class FixedPolicyProvider(ExecutionPolicy policy) : IPolicyProvider
{
    public ExecutionPolicy Policy { get; } = policy;

    /// <summary>Panic catch-up: cross the whole deficit at once (the engine's own behaviour).</summary>
    public static FixedPolicyProvider Panic { get; } = new(ExecutionPolicy.Normal);

    /// <summary>Bounded catch-up: cross at most a slice per decision.</summary>
    public static FixedPolicyProvider Bounded { get; } = new(ExecutionPolicy.Normal with { CatchUpMode = CatchUpMode.Bounded });

    public IHostPolicySource ForHost(HostInfo host, bool twin) => new Source(Policy);

    private sealed class Source(ExecutionPolicy policy) : IHostPolicySource
    {
        public ExecutionPolicy Policy { get; } = policy;

        public Regime Regime => Regime.MapStable;

        public void OnFrame(HostFrame frame)
        {
        }
    }
}
