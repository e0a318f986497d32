using DmaSlip.Core.Domain;
using DmaSlip.Core.Features.Counters;
using DmaSlip.Ingest.Live;
using DmaSlip.Storage;

namespace DmaSlip.Application.Ingest;

/// <summary>What one <c>dmaslip collect</c> run stored.</summary>
internal sealed record CollectResult(long Windows, long LateReads, long Counters, IReadOnlyList<HostFrame> Frames, FrameSources Sources,
    IReadOnlyList<HostInfo> HostRows, string? NoFramesReason);

/// <summary>
/// <c>dmaslip collect</c>: this host's live samplers on the interval's cadence (<see cref="LiveCollector"/>, as the
/// agent runs them: the counter records ingest stores → the counter frame path of <c>features</c>) for a duration;
/// counters, frames and the inputs of each frame (<c>host_frame_sources</c>) into the store, then the host's
/// <c>hosts</c> rows (new only when its identity changed).
/// </summary>
internal static class CollectRunner
{
    public static CollectResult Run(DmaSlipStore store, LiveSampler sampler, string host, string? pool, int intervalMs, double seconds)
    {
        var collector = new LiveCollector(sampler, intervalMs * Time.NanosPerMilli, TimeProvider.System);
        // The first read is the baseline the deltas start from: one more read than windows wanted.
        var reads = Math.Max(1, (long)Math.Round(seconds * 1000 / intervalMs)) + 1;
        var frames = new List<HostFrame>();
        var sources = new List<HostFrameSources>();
        long counters = 0;
        var seen = FrameSources.None;
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds((seconds * 1000) + (3L * intervalMs) + 5000));
        long previous = long.MinValue;
        foreach (var tick in Ticks(collector, stop.Token))
        {
            foreach (var window in collector.Close(previous, tick))
            {
                frames.AddRange(window.Frames);
                for (var i = 0; i < window.Frames.Count; i++)
                {
                    var f = window.Frames[i];
                    sources.Add(new HostFrameSources(f.Host, f.Device, f.Queue, f.WindowStartNs, f.WindowNs, (int)window.Sources[i]));
                    seen |= window.Sources[i];
                }
            }
            counters += store.Insert(collector.LastCounters);
            previous = tick;
            if (collector.Reads >= reads)
            {
                break;
            }
        }
        store.Insert(frames);
        store.Insert(sources);
        var known = store.Query<HostInfo>("host = $h", "valid_from_ns", new Dictionary<string, object?> { ["h"] = host }).ToList();
        var nowNs = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var rows = sampler.ReadConfig().HostRows(host, nowNs, pool, known).ToList();
        store.Insert(rows);
        return new CollectResult(collector.Windows, collector.LateReads, counters, frames, seen, rows, collector.NoFramesReason);
    }

    private static IEnumerable<long> Ticks(LiveCollector collector, CancellationToken ct)
    {
        while (collector.NextTick(ct) is var tick && tick != long.MinValue)
        {
            yield return tick;
        }
    }
}
