using System.Globalization;
using System.Runtime.CompilerServices;
using DmaSlip.Ingest.Live;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// The agent's live source: this machine's samplers (<see cref="LiveSampler"/>, the same set <c>dmaslip collect</c>
/// uses) read on the interval's cadence, each window's frames from <see cref="LiveCollector"/> (the counter path of
/// <c>features</c>). A window without frames yields nothing. <see cref="Boot"/> = <c>live-&lt;first tick ns&gt;</c>,
/// so every run of the agent has its own message ids.
/// </summary>
public sealed class LiveFrameSource(LiveCollector collector, TimeProvider time) : IFrameSource
{
    public string Boot { get; } = "live-" + ((time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100 / collector.IntervalNs * collector.IntervalNs).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads that came an interval or more late (their deltas were shared among the windows they span).</summary>
    public long LateReads => collector.LateReads;

    /// <summary>Samplers the agent stopped reading because nothing of theirs feeds a frame.</summary>
    public IReadOnlyList<string> SamplersNotRead => collector.SamplersNotRead;

    /// <summary>Why the host gives no frames, if it does not.</summary>
    public string? NoFramesReason => collector.NoFramesReason;

    /// <summary>
    /// The windows as they close. Every step completes synchronously (the collector blocks between ticks), so the
    /// agent's loop stays on the thread it runs on (its own, <see cref="FleetAgent"/>), with no thread-pool hop per tick.
    /// </summary>
    public async IAsyncEnumerable<FrameWindow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var w in collector.Run(ct))
        {
            if (w.Frames.Count > 0)
            {
                yield return new FrameWindow(w.WindowStartNs, w.Frames);
            }
        }
    }
}
