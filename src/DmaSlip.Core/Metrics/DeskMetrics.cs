using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Metrics;

/// <summary>
/// The per-window desk metrics of DESIGN §4.5 computed from one host frame (docs/METRICS.md). Pure functions,
/// no allocation.
/// </summary>
public static class DeskMetrics
{
    /// <summary>Combined robust z at which DFI is 50.</summary>
    public const double DfiCenterZ = 3.0;

    /// <summary>Logistic slope of the squash, in robust σ: DFI goes 27 → 73 between z = 2 and z = 4.</summary>
    public const double DfiSlopeZ = 1.0;

    /// <summary>
    /// Robust z of the window's flush rate against its queue's baseline (the host's for a queue it has none of); null
    /// when the frame has no flush rate (no invalidation source covered it) or the baseline has none.
    /// </summary>
    public static double? FlushRateZ(HostFrame frame, HostBaseline baseline)
    {
        var q = QueueOf(frame, baseline);
        return frame.FlushRate is { } rate && !double.IsNaN(q.FlushRateMedian) ? (rate - q.FlushRateMedian) / q.FlushRateScale : null;
    }

    /// <summary>
    /// Robust z of the window's flush burst q95 against its queue's baseline; null when the frame has no burst quantiles
    /// (no trace capture covered it) or the baseline has none.
    /// </summary>
    public static double? BurstQ95Z(HostFrame frame, HostBaseline baseline)
    {
        var q = QueueOf(frame, baseline);
        return frame.FlushBurstQ95 is { } q95 && !double.IsNaN(q.BurstQ95Median) ? (q95 - q.BurstQ95Median) / q.BurstQ95Scale : null;
    }

    /// <summary>
    /// z = (z_rate + z_burst)/2 − the host's worst-queue offset; z_rate − offset for a frame without burst quantiles
    /// (counter-only: per-slot bursts need per-event timing), z_burst − offset for one without a flush rate; null when
    /// the frame has neither (no invalidation source at all).
    /// </summary>
    public static double? CombinedZ(HostFrame frame, HostBaseline baseline) =>
        (FlushRateZ(frame, baseline), BurstQ95Z(frame, baseline)) switch
        {
            ({ } zr, { } zb) => (0.5 * (zr + zb)) - baseline.WorstQueueOffsetZ,
            ({ } zr, null) => zr - baseline.WorstQueueOffsetZ,
            (null, { } zb) => zb - baseline.WorstQueueOffsetZ,
            _ => null,
        };

    /// <summary>
    /// DMA Flush Intensity, 0–100: z = (z_rate + z_burst)/2 − worst-queue offset, DFI = 100 / (1 + e^(−(z − 3)/1)).
    /// A window at the calm median scores 4.7; 3 robust σ above calm on both scores 50; 6 σ scores 95.3. A frame
    /// without burst quantiles scores on its rate alone, z = z_rate − offset. Null for a frame with no invalidation
    /// source (no flush rate, no trace).
    /// </summary>
    public static double? Dfi(HostFrame frame, HostBaseline baseline) => CombinedZ(frame, baseline) is { } z ? Squash(z) : null;

    private static QueueBaseline QueueOf(HostFrame frame, HostBaseline baseline) =>
        baseline.Queues is { } queues && queues.TryGetValue((frame.Device, frame.Queue), out var q)
            ? q
            : new QueueBaseline(baseline.FlushRateMedian, baseline.FlushRateScale, baseline.BurstQ95Median, baseline.BurstQ95Scale);

    /// <summary>The logistic squash of a combined robust z to 0–100.</summary>
    public static double Squash(double z) => 100.0 / (1.0 + Math.Exp(-(z - DfiCenterZ) / DfiSlopeZ));

    /// <summary>DMA Jitter Spread: (q99 − q50)/q50 of DMA completion latency; null without latency or with q50 ≤ 0.</summary>
    public static double? Djs(HostFrame frame) =>
        frame.DmaLatencyQ50Ns is { } q50 && frame.DmaLatencyQ99Ns is { } q99 && q50 > 0 ? (q99 - q50) / q50 : null;

    /// <summary>Packet Service Oscillation: the larger of the RX and TX cadence CVs; null when neither is known.</summary>
    public static double? Pso(HostFrame frame) => (frame.RxCadenceCv, frame.TxCadenceCv) switch
    {
        ({ } rx, { } tx) => Math.Max(rx, tx),
        ({ } rx, null) => rx,
        (null, { } tx) => tx,
        _ => null,
    };

    /// <summary>
    /// The controller's inputs for one window. Metrics a frame cannot give (no invalidation source, no DMA latency, no
    /// RX/TX) enter as 0: no evidence of pressure. Deadline pressure is clamped to [0, 1].
    /// </summary>
    public static RegimeSignals ToSignals(HostFrame frame, HostBaseline baseline, int stormRecurrence, double deadlinePressure) =>
        new(Dfi(frame, baseline) ?? 0, Djs(frame) ?? 0, Pso(frame) ?? 0, Math.Max(0, stormRecurrence), Math.Clamp(double.IsNaN(deadlinePressure) ? 0 : deadlinePressure, 0, 1));
}
