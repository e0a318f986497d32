using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>The DJS and PSO inputs of a counter frame (formulas in <see cref="CounterJitter"/>).</summary>
public sealed partial class CounterFrameBuilder
{
    /// <summary>Per-window slot of <c>_h</c> holding the ns covered by dmar_perf_latency deltas (the dmar source was read).</summary>
    private const int DmarCoverSlot = 9;

    /// <summary>
    /// The device's own DMA round trip (ns) that the stall model adds invalidation stalls to: not observable from
    /// counters, so an explicit assumption (default 1 µs, a PCIe write plus completion) that scales DJS; frames that
    /// use it carry <see cref="FrameSources.StallModel"/>.
    /// </summary>
    public double DmaBaseNs { get; set; } = 1_000;

    /// <summary>
    /// The slot (ns) the cadence columns are defined on (<see cref="HostFrameOptions.SlotNs"/>, 1 ms): the send-cadence CV
    /// of per-window counts is carried to it (<see cref="CounterJitter.PerSlot"/>).
    /// </summary>
    public long CadenceSlotNs { get; set; } = Time.NanosPerMilli;

    /// <summary>
    /// DMA completion (q50, q99) of a covered (queue, window) from its qi_submit count and the host's
    /// dmar_perf_latency mean wait of the window; null without a latency histogram (no debugfs).
    /// </summary>
    private (double? Q50, double? Q99) StallDmaLatency(ReadOnlySpan<double> counts, double coveredNs, ReadOnlySpan<double> host, ref FrameSources sources)
    {
        if (host[DmarCoverSlot] <= 0)
        {
            return (null, null);
        }
        var descriptors = counts[(int)QueueSeries.QiSubmit];
        // No invalidation completed in the window: no spin, so no stall (a measurement, not a missing value); with
        // descriptors submitted but none completed yet the mean wait is unknown.
        var wait = DecadeHistogram.Mean(host.Slice((int)HostSeries.InvBucket0, 7)) ?? (descriptors > 0 ? double.NaN : 0);
        if (double.IsNaN(wait))
        {
            return (null, null);
        }
        sources |= FrameSources.DmarLatency | FrameSources.StallModel;
        var (q50, q99) = CounterJitter.StallLatency(descriptors, coveredNs, wait, DmaBaseNs);
        return (q50, q99);
    }

    /// <summary>
    /// Over-dispersed CV of the queue's sends (net:net_dev_xmit) per window over the trailing
    /// <see cref="CounterJitter.CadenceSpan"/> windows that have counts, each scaled to a whole window, carried to the
    /// <see cref="CadenceSlotNs"/> slot.
    /// </summary>
    private double? SendCadence(int q, long w)
    {
        Span<double> counts = stackalloc double[CounterJitter.CadenceSpan];
        var n = 0;
        for (var k = Math.Max(_retained, w - CounterJitter.CadenceSpan + 1); k <= w; k++)
        {
            var i = (q * _capacity) + Slot(k);
            if (_cover[i] > 0)
            {
                counts[n++] = _q[i * QK + (int)QueueSeries.Tx] * _windowNs / _cover[i];
            }
        }
        return CounterJitter.PerSlot(CounterJitter.OverdispersedCv(counts[..n]), _windowNs, CadenceSlotNs);
    }
}
