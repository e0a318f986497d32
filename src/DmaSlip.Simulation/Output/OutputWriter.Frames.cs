using DmaSlip.Core.Features;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Writers;

namespace DmaSlip.Simulation.Output;

internal sealed partial class OutputWriter
{
    /// <summary>Opens <c>hosts/&lt;host&gt;/frames.csv</c>; the returned observer closes it when the host completes.</summary>
    public (IHostFrameSink Sink, IHostObserver Closer) FramesFor(HostSetup setup)
    {
        var writer = new FramesCsvWriter(Path.Combine(HostDir(setup.Name), "frames.csv"));
        return (writer, new CloseOnComplete(writer));
    }

    private sealed class CloseOnComplete(IDisposable resource) : IHostObserver
    {
        public void OnStep(HostModel model, int ms, long tsNs)
        {
        }

        public void Complete(HostModel model, long endNs) => resource.Dispose();
    }
}
