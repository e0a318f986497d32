using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

/// <summary>Options of an <see cref="ExecFrameEngine"/> (immutable).</summary>
public sealed record ExecFrameOptions
{
    /// <summary>Window width (DESIGN §4.2 default 1 s).</summary>
    public long WindowNs { get; init; } = Time.NanosPerSecond;

    /// <summary>Period of the intended dispatch grid, anchored at each parent's arrival (default 100 ms).</summary>
    public long DispatchGridNs { get; init; } = 100 * Time.NanosPerMilli;

    /// <summary>How many calm windows' ack medians form the trailing calm median (default 300: 5 min of 1 s windows).</summary>
    public int CalmHistory { get; init; } = 300;

    public static ExecFrameOptions Default { get; } = new();

    public void Validate()
    {
        if (WindowNs <= 0 || DispatchGridNs <= 0 || CalmHistory <= 0)
        {
            throw new ArgumentException($"WindowNs ({WindowNs}), DispatchGridNs ({DispatchGridNs}) and CalmHistory ({CalmHistory}) must be positive.");
        }
    }
}

/// <summary>Receives each closed (host, symbol) window of an <see cref="ExecFrameEngine"/>.</summary>
public interface IExecFrameSink
{
    void OnFrame(ExecFrame frame);
}

/// <summary>Collects exec frames in a list.</summary>
public sealed class ListExecFrameSink : IExecFrameSink
{
    public List<ExecFrame> Frames { get; } = [];

    public void OnFrame(ExecFrame frame) => Frames.Add(frame);
}
