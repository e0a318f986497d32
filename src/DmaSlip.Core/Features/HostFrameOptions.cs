using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

/// <summary>Which events count as IOTLB invalidations for the flush rate and burst quantiles.</summary>
public enum InvalidationSource
{
    /// <summary>
    /// Per window: <see cref="HostEventKind.Flush"/> events when the window has any (cache_tag_flush_*, flush-queue
    /// drains), otherwise <see cref="HostEventKind.QiSubmit"/> descriptors. A source tracing both is not double counted.
    /// </summary>
    Auto,
    /// <summary>Only <see cref="HostEventKind.Flush"/> events.</summary>
    Flush,
    /// <summary>Only <see cref="HostEventKind.QiSubmit"/> descriptors.</summary>
    QiSubmit,
}

/// <summary>Options of a <see cref="HostFrameEngine"/> (immutable).</summary>
public sealed record HostFrameOptions
{
    /// <summary>Window width (DESIGN §4.1 default 100 ms). Must be a multiple of <see cref="SlotNs"/>.</summary>
    public long WindowNs { get; init; } = 100 * Time.NanosPerMilli;

    /// <summary>Burst slot width: flush bursts and RX/TX cadence are counted per slot (default 1 ms).</summary>
    public long SlotNs { get; init; } = Time.NanosPerMilli;

    /// <summary>Relative accuracy α of the latency sketches (default 1 %).</summary>
    public double SketchRelativeAccuracy { get; init; } = LogSketch.DefaultRelativeAccuracy;

    /// <summary>Bins of the ring-occupancy histogram over [0, 1] (default 1000: oscillation within ±0.001).</summary>
    public int OccupancyBins { get; init; } = UnitHistogram.DefaultBins;

    public InvalidationSource Invalidations { get; init; } = InvalidationSource.Auto;

    /// <summary>
    /// Counter frames only: the device's DMA round trip (ns) the invalidation stall model adds stalls to (DJS scale;
    /// docs/METRICS.md "DJS and PSO from counters"). Not observable from counters: default 1 µs.
    /// </summary>
    public double DmaBaseNs { get; init; } = 1_000;

    public static HostFrameOptions Default { get; } = new();

    /// <summary>Slots per window.</summary>
    public int Slots => (int)(WindowNs / SlotNs);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (SlotNs <= 0)
        {
            throw new ArgumentException($"SlotNs must be positive (got {SlotNs}).");
        }
        if (WindowNs <= 0 || WindowNs % SlotNs != 0)
        {
            throw new ArgumentException($"WindowNs ({WindowNs}) must be a positive multiple of SlotNs ({SlotNs}).");
        }
        if (WindowNs / SlotNs > 1_000_000)
        {
            throw new ArgumentException($"WindowNs / SlotNs must be at most 1,000,000 slots (got {WindowNs / SlotNs}).");
        }
        if (!(SketchRelativeAccuracy > 0 && SketchRelativeAccuracy < 0.5))
        {
            throw new ArgumentException($"SketchRelativeAccuracy must be in (0, 0.5) (got {SketchRelativeAccuracy}).");
        }
        if (!(DmaBaseNs > 0))
        {
            throw new ArgumentException($"DmaBaseNs must be positive (got {DmaBaseNs}).");
        }
        if (OccupancyBins < 2)
        {
            throw new ArgumentException($"OccupancyBins must be at least 2 (got {OccupancyBins}).");
        }
    }
}
