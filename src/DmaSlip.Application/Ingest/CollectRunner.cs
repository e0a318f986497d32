using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Live;
using DmaSlip.Storage;

namespace DmaSlip.Application.Ingest;

/// <summary>What one <c>dmaslip collect</c> run stored.</summary>
internal sealed record CollectResult(long Windows, long MissedWindows, long Counters, long Events, IReadOnlyList<HostFrame> Frames, IReadOnlyList<HostInfo> HostRows);

/// <summary>
/// <c>dmaslip collect</c>: this host's live samplers on the interval's cadence (<see cref="LiveCollector"/>, as the
/// agent runs them) for a duration; counters and frames into the store, then the host's <c>hosts</c> rows (new only
/// when its identity changed).
/// </summary>
internal static class CollectRunner
{
    public static CollectResult Run(DmaSlipStore store, LiveSampler sampler, string host, string? pool, int intervalMs, double seconds)
    {
        var collector = new LiveCollector(sampler, intervalMs * Time.NanosPerMilli, TimeProvider.System);
        var want = Math.Max(1, (long)Math.Round(seconds * 1000 / intervalMs));
        var frames = new List<HostFrame>();
        long counters = 0, events = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds((seconds * 1000) + (3L * intervalMs) + 5000));
        foreach (var window in collector.RunAsync(stop.Token).ToBlockingEnumerable(stop.Token))
        {
            counters += store.Insert(window.Counters);
            frames.AddRange(window.Frames);
            foreach (var e in window.Events)
            {
                events += e.Event.Count;
            }
            if (collector.Windows + collector.MissedWindows >= want)
            {
                break;
            }
        }
        store.Insert(frames);
        var known = store.Query<HostInfo>("host = $h", "valid_from_ns", new Dictionary<string, object?> { ["h"] = host }).ToList();
        var nowNs = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var rows = sampler.ReadConfig().HostRows(host, nowNs, pool, known).ToList();
        store.Insert(rows);
        return new CollectResult(collector.Windows, collector.MissedWindows, counters, events, frames, rows);
    }
}
