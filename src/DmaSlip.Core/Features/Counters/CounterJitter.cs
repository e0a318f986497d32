namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// The counter-cadence formulas of DJS and PSO (docs/METRICS.md "DJS and PSO from counters"): what a host that
/// collects counters all day, and traces only in captures, can say about DMA completion jitter and packet-service
/// oscillation in every window. Pure functions of per-window inputs, so a batch builder and a streaming one agree.
/// </summary>
internal static class CounterJitter
{
    /// <summary>
    /// Trailing windows (the window itself and the 19 before it: 2 s at 100 ms) of the send-cadence CV: with ten
    /// windows (1 s) the clamped estimator's floor on Poisson sends was a sixth of the storm mean (docs/METRICS.md).
    /// </summary>
    public const int CadenceSpan = 20;

    /// <summary>Windows of the span that must have counts for a send-cadence CV (half the span).</summary>
    public const int CadenceMinWindows = 10;

    /// <summary>
    /// DMA completion latency (q50, q99) as the driver sees it, from the invalidation stall model: the queue's CPU
    /// submitted <paramref name="descriptors"/> invalidation descriptors over <paramref name="coveredNs"/> and spun
    /// with interrupts off for each until it completed (<c>qi_submit_sync</c>), on average
    /// <paramref name="meanWaitNs"/> L̄ (the <c>dmar_perf_latency</c> mean of the interval). A completion that lands
    /// during a spin is seen when the spin ends: it lands uniformly within the spin, so it waits U·L̄ more, U uniform on
    /// [0, 1); the others are seen after the device's own round trip <paramref name="baseNs"/> B. Stall share
    /// φ = min(1, descriptors · L̄ / covered). The p-quantile of the mixture (B with weight 1 − φ, B + U·L̄ with weight
    /// φ) is B for p ≤ 1 − φ, else B + L̄·(p − (1 − φ))/φ.
    /// </summary>
    public static (double Q50, double Q99) StallLatency(double descriptors, double coveredNs, double meanWaitNs, double baseNs)
    {
        var phi = coveredNs > 0 ? Math.Min(1, Math.Max(0, descriptors) * meanWaitNs / coveredNs) : 0;
        double Quantile(double p) => p > 1 - phi ? baseNs + (meanWaitNs * (p - (1 - phi)) / phi) : baseNs;
        return (Quantile(0.5), Quantile(0.99));
    }

    /// <summary>
    /// The over-dispersed CV of counts per <paramref name="countNs"/> slot carried to the <paramref name="slotNs"/> slot
    /// the cadence columns are defined on (1 ms): × √(countNs / slotNs). For bunching shorter than the counter interval
    /// the excess Fano factor F − 1 = CV²·μ does not depend on the slot width while μ scales with it, so the CV scales
    /// as 1/√width: 100 ms counts see a per-ms CV / 10 (docs/METRICS.md "DJS and PSO from counters").
    /// </summary>
    public static double? PerSlot(double? cv, long countNs, long slotNs) =>
        cv is { } v && countNs > 0 && slotNs > 0 ? v * Math.Sqrt(countNs / (double)slotNs) : null;

    /// <summary>
    /// Over-dispersed CV √max(0, σ² − μ)/μ (population σ², mean μ) of per-window counts, the cadence formula of
    /// docs/METRICS.md at the counter's slot width; null with fewer than <see cref="CadenceMinWindows"/> values or μ = 0.
    /// </summary>
    public static double? OverdispersedCv(ReadOnlySpan<double> counts)
    {
        if (counts.Length < CadenceMinWindows)
        {
            return null;
        }
        double sum = 0;
        foreach (var c in counts)
        {
            sum += c;
        }
        var mean = sum / counts.Length;
        if (!(mean > 0))
        {
            return null;
        }
        double ss = 0;
        foreach (var c in counts)
        {
            ss += (c - mean) * (c - mean);
        }
        return Math.Sqrt(Math.Max(0, (ss / counts.Length) - mean)) / mean;
    }
}
