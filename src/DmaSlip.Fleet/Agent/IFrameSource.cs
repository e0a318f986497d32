using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Fleet.Agent;

/// <summary>All frames of one host for one window (one per device queue), as a frame source yields them.</summary>
public sealed record FrameWindow(long WindowStartNs, IReadOnlyList<HostFrame> Frames);

/// <summary>
/// Where an agent's frames come from: live sampling (ingest samplers + the features frame engine) or a replay of
/// recorded/simulated frames. A source paces itself (live: by the clock; replay: at the recording's pace times a
/// speed factor) and ends when its input ends or the token fires.
/// </summary>
public interface IFrameSource
{
    /// <summary>Identifies this run of the source (kernel boot for live sampling; the recording for a replay).</summary>
    string Boot { get; }

    IAsyncEnumerable<FrameWindow> ReadAsync(CancellationToken ct);
}

/// <summary>
/// The agent's local regime controller, fed once per window (Core's one host-signal pipeline);
/// <see cref="Observe"/> returns true when the window changed the regime.
/// </summary>
public interface IRegimeTracker
{
    Regime Current { get; }

    /// <summary>The last window's metrics as published: a value, or null with the reason (never a stand-in 0).</summary>
    HostSignals Signals { get; }

    bool Observe(FrameWindow window, out RegimeTransition transition);
}
