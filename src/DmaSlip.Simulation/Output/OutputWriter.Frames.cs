using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Output;

internal sealed partial class OutputWriter
{
    /// <summary>Frame writers: fed by the Core frame engine once it is merged (see HostEventEmitter).</summary>
    private static IEnumerable<IHostObserver> FrameObservers(HostSetup setup, string dir)
    {
        _ = (setup, dir);
        return [];
    }
}
