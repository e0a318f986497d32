using System.Globalization;
using System.Runtime.CompilerServices;
using DmaSlip.Ingest.Live;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// The agent's live source: this machine's samplers (<see cref="LiveSampler"/>, the same set <c>dmaslip collect</c>
/// uses) read on the interval's cadence, each window's frames from <see cref="LiveCollector"/>. A window whose streams
/// all lacked two reads yields nothing. <see cref="Boot"/> = <c>live-&lt;first tick ns&gt;</c>, so every run of the agent
/// has its own message ids.
/// </summary>
public sealed class LiveFrameSource(LiveCollector collector, TimeProvider time) : IFrameSource
{
    public string Boot { get; } = "live-" + ((time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100 / collector.IntervalNs * collector.IntervalNs).ToString(CultureInfo.InvariantCulture);

    public long MissedWindows => collector.MissedWindows;

    public async IAsyncEnumerable<FrameWindow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var w in collector.RunAsync(ct).ConfigureAwait(false))
        {
            if (w.Frames.Count > 0)
            {
                yield return new FrameWindow(w.WindowStartNs, w.Frames);
            }
        }
    }
}
