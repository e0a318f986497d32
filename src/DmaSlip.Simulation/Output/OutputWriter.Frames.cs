using DmaSlip.Core.Features;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Writers;

namespace DmaSlip.Simulation.Output;

internal sealed partial class OutputWriter
{
    /// <summary>Folder of the simulator's own frames: truth only, never beside the real-format files a host would write.</summary>
    public const string TruthFramesDir = "truth/host_frames";

    /// <summary>
    /// Opens <c>truth/host_frames/&lt;host&gt;.csv</c> (the caller folds these into <c>truth/host_frames.parquet</c>);
    /// the returned observer closes it when the host completes.
    /// </summary>
    public (IHostFrameSink Sink, IHostObserver Closer) FramesFor(HostSetup setup)
    {
        var dir = Path.Combine(Dir, TruthFramesDir);
        Directory.CreateDirectory(dir);
        var writer = new FramesCsvWriter(Path.Combine(dir, setup.Name + ".csv"));
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
