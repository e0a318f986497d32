namespace DmaSlip.Models.Pipeline;

/// <summary>
/// Nets the classical IS terms of their IOMMU share so that IS = C_delay + C_impact + C_miss + C_iommu per order
/// (DESIGN §4.4). Each family is charged to the classical term its mechanism moves: DMA jitter delays the first
/// send (→ C_delay), service bursts move dispatch prices (→ C_impact), queue decay leaves quantity unfilled at the
/// deadline (→ C_miss). All values bps of Q·P_d.
/// </summary>
public readonly record struct IommuAttribution(
    double DelayBps,
    double ImpactBps,
    double MissBps,
    double DmaJitterBps,
    double ServiceBurstBps,
    double QueueDecayBps)
{
    public double IommuBps => DmaJitterBps + ServiceBurstBps + QueueDecayBps;

    public double TotalBps => DelayBps + ImpactBps + MissBps + IommuBps;

    public static IommuAttribution Net(double grossDelay, double grossImpact, double grossMiss, double dmaJitter, double serviceBurst, double queueDecay) =>
        new(grossDelay - dmaJitter, grossImpact - serviceBurst, grossMiss - queueDecay, dmaJitter, serviceBurst, queueDecay);

    /// <summary>Recovers the gross classical terms from a stored (net) row, so refitting never nets twice.</summary>
    public static (double Delay, double Impact, double Miss) Gross(
        double delay, double impact, double miss, double? dmaJitter, double? serviceBurst, double? queueDecay) =>
        (delay + (dmaJitter ?? 0), impact + (serviceBurst ?? 0), miss + (queueDecay ?? 0));
}
