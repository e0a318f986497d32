using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

/// <summary>Receives each closed window of a <see cref="HostFrameEngine"/>.</summary>
public interface IHostFrameSink
{
    void OnFrame(HostFrame frame);
}

/// <summary>A sink that collects frames in a list (batch use and tests).</summary>
public sealed class ListFrameSink : IHostFrameSink
{
    public List<HostFrame> Frames { get; } = [];

    public void OnFrame(HostFrame frame) => Frames.Add(frame);
}
