namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// The real inputs that fed a host frame (<c>host_frame_sources.sources</c>). A column whose inputs are absent is
/// null in that frame (docs/METRICS.md "Where each column comes from").
/// </summary>
[Flags]
public enum FrameSources
{
    None = 0,

    /// <summary><c>perf stat -I -A</c> tracepoint counts per CPU (iommu:map/unmap, intel_iommu:qi_submit, napi, net).</summary>
    TracepointCounts = 1,

    /// <summary><c>perf stat -I</c> of the IOMMU PMU (dmarN/iotlb_lookup/, iotlb_hit/).</summary>
    IommuPmu = 2,

    /// <summary><c>ethtool -S</c> per-queue deltas (chN_poll/arm, rxN_pp_alloc_slow/waive).</summary>
    Ethtool = 4,

    /// <summary><c>/proc/interrupts</c>: the CPU each queue's vector is affine to.</summary>
    Interrupts = 8,

    /// <summary><c>dmar_perf_latency</c> histogram deltas.</summary>
    DmarLatency = 16,

    /// <summary>A trace capture (perf script / ftrace) that covers the whole window.</summary>
    Trace = 32,

    /// <summary>
    /// The DMA completion latency (and so DJS) is the invalidation stall model's estimate from qi_submit counts and
    /// the dmar_perf_latency mean wait with an assumed device round trip, not a per-DMA measurement.
    /// </summary>
    StallModel = 64,
}
