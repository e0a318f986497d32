using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Output;

/// <summary>Writes the output folder (see docs/SIMULATOR.md for the contract).</summary>
internal sealed partial class OutputWriter(string dir, Scenario scenario, long seed, SimulationOptions options, IReadOnlyList<HostSetup> setups)
{
    public string Dir { get; } = Path.GetFullPath(dir);

    public IReadOnlyList<IHostObserver> ObserversFor(HostSetup setup) => [];

    public IReadOnlyList<string> Finish(SimulationResult result, IReadOnlyList<HostSetup> hosts)
    {
        _ = (scenario, seed, options, setups, result, hosts);
        return [];
    }
}
