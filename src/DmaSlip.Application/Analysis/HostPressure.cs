using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>Stored host frames with each host's calm baseline and the resulting DFI timeline.</summary>
internal sealed class HostPressure
{
    private HostPressure(List<HostFrame> frames, Dictionary<string, HostBaseline> baselines)
    {
        Frames = frames;
        Baselines = baselines;
        Timeline = new PressureTimeline(frames, baselines);
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

    /// <summary>Whether the window [start, start + window) of <paramref name="host"/> was calm (mean DFI below "elevated"; no frames = calm).</summary>
    public bool IsCalm(string host, long startNs, long windowNs)
    {
        var mean = Timeline.Summary(host, startNs, startNs + windowNs - 1).Mean;
        return mean is null || mean < PressureBuckets.ElevatedFrom;
    }
}
