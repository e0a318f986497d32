using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>Stored host frames with each host's calm baseline and the resulting DFI timeline.</summary>
internal sealed class HostPressure
{
    private HostPressure(List<HostFrame> frames, Dictionary<string, HostBaseline> baselines, PressureTimeline? timeline = null)
    {
        Frames = frames;
        Baselines = baselines;
        Timeline = timeline ?? new PressureTimeline(frames, baselines);
    }

    public List<HostFrame> Frames { get; }

    public Dictionary<string, HostBaseline> Baselines { get; }

    public PressureTimeline Timeline { get; }

    /// <summary>
    /// Loads frames in [from, to). Baselines use all of a host's stored frames (not just the range), so a narrow
    /// query is still judged against the host's own calm.
    /// </summary>
    public static HostPressure Load(DmaSlipStore store, long? from = null, long? to = null)
    {
        var all = store.Query<HostFrame>(orderBy: "host, window_start_ns, device, queue").ToList();
        var baselines = all.GroupBy(f => f.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => HostBaseline.FromFrames(g.Key, g.ToList()), StringComparer.Ordinal);
        var frames = all.Where(f => (from is null || f.WindowStartNs >= from) && (to is null || f.WindowStartNs < to)).ToList();
        return new HostPressure(frames, baselines);
    }

    /// <summary>
    /// Only the DFI timeline of every host (for <see cref="IsCalm"/>), built a host at a time from the columns DFI
    /// reads, so memory holds one host's frames at a time, not the fleet's day (<c>features</c>' exec frames).
    /// </summary>
    public static HostPressure LoadTimeline(DmaSlipStore store)
    {
        var timeline = new PressureTimeline();
        var baselines = new Dictionary<string, HostBaseline>(StringComparer.Ordinal);
        foreach (var host in store.Sql<string>("SELECT DISTINCT host FROM host_frames ORDER BY host"))
        {
            baselines[host] = AddHost(store, host, timeline);
            // A host's frames outlive the young generations while its baseline is built; without a full collection
            // here each host's frames would wait in gen 2 and the stage would hold every host's day at once.
            GC.Collect();
        }
        return new HostPressure([], baselines, timeline);
    }

    private static HostBaseline AddHost(DmaSlipStore store, string host, PressureTimeline timeline)
    {
        var frames = store.Sql<DfiColumns>("SELECT device, queue, window_start_ns, window_ns, flush_rate, flush_burst_q95 FROM host_frames WHERE host = $h ORDER BY window_start_ns, device, queue",
            new Dictionary<string, object?> { ["h"] = host }).Select(r => r.Frame(host)).ToList();
        var baseline = HostBaseline.FromFrames(host, frames);
        timeline.Add(host, frames, baseline);
        return baseline;
    }

    /// <summary>The columns of a host frame DFI reads.</summary>
    private sealed record DfiColumns(string Device, int Queue, long WindowStartNs, long WindowNs, double? FlushRate, double? FlushBurstQ95)
    {
        public HostFrame Frame(string host) => new(host, Device, Queue, WindowStartNs, WindowNs, FlushRate, null, FlushBurstQ95, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, 0);
    }

    /// <summary>Whether the window [start, start + window) of <paramref name="host"/> was calm (mean DFI below "elevated"; no frames = calm).</summary>
    public bool IsCalm(string host, long startNs, long windowNs)
    {
        var mean = Timeline.Summary(host, startNs, startNs + windowNs - 1).Mean;
        return mean is null || mean < PressureBuckets.ElevatedFrom;
    }
}
