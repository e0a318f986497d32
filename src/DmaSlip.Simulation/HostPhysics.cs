namespace DmaSlip.Simulation;

/// <summary>
/// Physical constants of the host model. Values marked "published" come from the kernel source or measurements
/// cited in docs/SIMULATOR.md (which quotes the reference notes); values marked "assumption" are engineering
/// estimates chosen to be plausible, documented as such, and overridable per scenario.
/// </summary>
public sealed record HostPhysics
{
    /// <summary>Published: per-CPU flush-queue entries (<c>IOVA_DEFAULT_FQ_SIZE</c>, drivers/iommu/dma-iommu.c).</summary>
    public int FlushQueueSize { get; init; } = 256;

    /// <summary>Published: flush-queue timeout, ms (<c>IOVA_DEFAULT_FQ_TIMEOUT</c>).</summary>
    public int FlushQueueTimeoutMs { get; init; } = 10;

    /// <summary>Published: VT-d queued-invalidation ring descriptors (<c>QI_LENGTH</c>).</summary>
    public int QiLength { get; init; } = 256;

    /// <summary>Published: NAPI weight (per-poll budget).</summary>
    public int NapiBudget { get; init; } = 64;

    /// <summary>Published: <c>net.core.netdev_budget</c> (packets per softirq run before time_squeeze).</summary>
    public int NetdevBudget { get; init; } = 300;

    /// <summary>
    /// Published (fitted): median page-selective IOTLB invalidation wait, ns, and its log-normal σ. Fitted to the
    /// Sapphire Rapids dmar_perf_latency sample (286 of 409 in 0.1–1 µs, 123 in 1–10 µs, max 1 µs):
    /// median 850 ns, σ 0.3 gives P(&lt;1 µs) = 0.70 and P(&gt;2 µs) ≈ 0.2 %.
    /// </summary>
    public double InvalidationMedianNs { get; init; } = 850;

    public double InvalidationSigma { get; init; } = 0.3;

    /// <summary>Assumption: a domain-wide flush (flush_iotlb_all) costs this multiple of a page-selective one.</summary>
    public double DomainFlushCostFactor { get; init; } = 1.5;

    /// <summary>Assumption: invalidations slow down as page walkers are busy (drain of in-flight translations): s·(1 + k·ρ_walk).</summary>
    public double InvalidationLoadFactor { get; init; } = 2.0;

    /// <summary>Assumption: CPU cost of RX/TX packet processing in the kernel stack and application, ns per packet.</summary>
    public double PacketCpuNs { get; init; } = 1_200;

    /// <summary>Assumption: CPU cost of one DMA map (IOVA allocation + PTE write) and one unmap (PTE clear), ns.</summary>
    public double MapCpuNs { get; init; } = 250;

    public double UnmapCpuNs { get; init; } = 150;

    /// <summary>Assumption: translations of a queue's ring working set that stay hot in the IOTLB between flushes.</summary>
    public int HotTranslationsPerQueue { get; init; } = 64;

    /// <summary>Assumption: memory accesses per IOTLB-miss page walk (paging-structure caches absorb the upper levels).</summary>
    public double WalkAccesses { get; init; } = 2;

    /// <summary>Assumption: local and remote DRAM access latency, ns (remote ≈ 1.6× local, typical two-socket figure).</summary>
    public double LocalMemoryNs { get; init; } = 90;

    public double RemoteMemoryNs { get; init; } = 145;

    /// <summary>Assumption: concurrent page walkers of one IOMMU unit.</summary>
    public int PageWalkers { get; init; } = 4;

    /// <summary>Assumption: DMA completion time of a packet without translation cost, ns (PCIe round trip + write).</summary>
    public double DmaBaseNs { get; init; } = 1_000;

    /// <summary>Assumption: extra DMA completion time when the buffer sits on the remote socket, ns.</summary>
    public double RemoteDmaNs { get; init; } = 250;

    /// <summary>Assumption (mlx5 default): RX ring descriptors per queue.</summary>
    public int RingSize { get; init; } = 1024;

    /// <summary>Assumption: mean packet size on the market-data queues, bytes.</summary>
    public int PacketBytes { get; init; } = 256;

    /// <summary>Assumption: market-data microbursts (Markov-modulated): entry rate per second, mean length ms, rate multiplier.</summary>
    public double BurstsPerSecond { get; init; } = 0.5;

    public double BurstMeanMs { get; init; } = 40;

    public double BurstMultiplier { get; init; } = 3;

    /// <summary>
    /// Assumption: time to recover a market-data gap when a packet of the feed is dropped at the host, ms: the feed
    /// handler sees a sequence gap and recovers from the venue's recovery/snapshot service. A/B line arbitration does
    /// not help: both lines arrive through the same NIC and IOMMU, so a ring overflow drops both copies. 500 ms is an
    /// assumption between a fast re-request (milliseconds) and a snapshot cycle (seconds).
    /// </summary>
    public double FeedGapRecoveryMs { get; init; } = 500;

    /// <summary>Fact (Linux TCP_RTO_MIN, include/net/tcp.h): a dropped order-entry segment is resent after at least 200 ms.</summary>
    public double TcpRtoMinMs { get; init; } = 200;

    internal void Validate(List<string> e)
    {
        if (!(FeedGapRecoveryMs >= 0) || !(TcpRtoMinMs >= 0))
        {
            e.Add("physics: feed_gap_recovery_ms and tcp_rto_min_ms must be ≥ 0");
        }
        if (FlushQueueSize < 1 || FlushQueueTimeoutMs < 1 || QiLength < 4 || NapiBudget < 1 || NetdevBudget < NapiBudget)
        {
            e.Add("physics: flush_queue_size, flush_queue_timeout_ms, qi_length ≥ 4, napi_budget ≥ 1 and netdev_budget ≥ napi_budget are required");
        }
        if (!(InvalidationMedianNs > 0) || !(InvalidationSigma >= 0) || !(PacketCpuNs > 0) || !(DmaBaseNs > 0))
        {
            e.Add("physics: invalidation_median_ns, packet_cpu_ns and dma_base_ns must be > 0, invalidation_sigma ≥ 0");
        }
        if (RingSize < 64 || PageWalkers < 1 || HotTranslationsPerQueue < 0 || PacketBytes < 64)
        {
            e.Add("physics: ring_size ≥ 64, page_walkers ≥ 1, hot_translations_per_queue ≥ 0, packet_bytes ≥ 64");
        }
        if (!(BurstsPerSecond >= 0) || !(BurstMeanMs > 0) || !(BurstMultiplier >= 1))
        {
            e.Add("physics: bursts_per_second ≥ 0, burst_mean_ms > 0, burst_multiplier ≥ 1");
        }
    }
}
