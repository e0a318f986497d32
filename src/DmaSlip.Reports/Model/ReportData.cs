namespace DmaSlip.Reports.Model;

/// <summary>
/// Everything the report shows, as plain values. Each section's data is nullable: <c>null</c> means the data does
/// not exist yet (the stage that produces it has not run, or no model is fitted), and the report says so plainly;
/// an empty list means the stage ran and found nothing in the range.
/// </summary>
public sealed record ReportData
{
    public required ReportMeta Meta { get; init; }

    /// <summary>Implementation-shortfall decomposition over all parents in range (#overview).</summary>
    public IsDecomposition? Is { get; init; }

    /// <summary>The latest fit's mean C_iommu over parents under pressure with its interval (#overview); null before a fit.</summary>
    public IommuSummary? Iommu { get; init; }

    /// <summary>IOMMU uplift loss by host pool (#overview); null until a baseline model has priced the parents.</summary>
    public IReadOnlyList<IulByPool>? Iul { get; init; }

    /// <summary>Regime timeline per host with DFI and PSO (#regimes).</summary>
    public IReadOnlyList<HostRegimeTimeline>? Regimes { get; init; }

    /// <summary>Markout ladder by flush-pressure bucket (#markouts).</summary>
    public IReadOnlyList<MarkoutRow>? Markouts { get; init; }

    /// <summary>Passive fill ratio by flush-pressure bucket (#fill-ratio).</summary>
    public IReadOnlyList<FillRatioRow>? FillRatios { get; init; }

    /// <summary>DFI, DJS, PSO, QDL, IUL by each dimension (#desk-metrics).</summary>
    public IReadOnlyList<DeskMetricRow>? DeskMetrics { get; init; }

    /// <summary>Failure drills with their criteria (#drills).</summary>
    public IReadOnlyList<DrillResult>? Drills { get; init; }

    /// <summary>Ranked mitigations and anti-pattern findings (#advice).</summary>
    public AdviceReport? Advice { get; init; }

    /// <summary>Ingested files, table counts and quarantine reasons (#data-quality).</summary>
    public DataQuality? Quality { get; init; }
}

/// <summary>What the report covers and where it came from. Times in Unix ns (UTC).</summary>
public sealed record ReportMeta(
    string Title,
    long GeneratedNs,
    long? FromNs,
    long? ToNs,
    string Source)
{
    /// <summary>Hosts / pools / parents covered, for the header line. Zero when unknown.</summary>
    public int Hosts { get; init; }

    public int Pools { get; init; }

    public long Parents { get; init; }
}

/// <summary>
/// Notional-weighted mean IS decomposition in bps of arrival notional (Q·P_d) — DESIGN §4.4. The IOMMU terms are
/// null until an overlay model has estimated them (never zero for "unknown"); when present, the classical terms are
/// net of their IOMMU share so that <see cref="IsBps"/> = delay + impact + miss + C_iommu.
/// </summary>
public sealed record IsDecomposition(
    long Parents,
    double NotionalCcy,
    double IsCcy,
    double IsBps,
    double CDelayBps,
    double CImpactBps,
    double CMissBps,
    double? CDmaJitterBps,
    double? CServiceBurstBps,
    double? CQueueDecayBps,
    long ParentsWithIommu)
{
    /// <summary>C_iommu = C_dma-jitter + C_service-burst + C_queue-decay; null when any term is missing.</summary>
    public double? CIommuBps => CDmaJitterBps + CServiceBurstBps + CQueueDecayBps;
}

/// <summary>IUL (realized IS − baseline IS, bps) over a pool's high-pressure parents: mean and q95.</summary>
public sealed record IulByPool(string Pool, long Parents, double MeanBps, double Q95Bps);

/// <summary>
/// One host's regimes over the range, with its DFI and PSO series (downsampled for drawing); when no window has a DFI,
/// <see cref="DfiNullReason"/> says why (e.g. "no flush source": its frames have no invalidation counts).
/// </summary>
public sealed record HostRegimeTimeline(
    string Host,
    string Pool,
    long FromNs,
    long ToNs,
    IReadOnlyList<RegimeSpan> Spans,
    IReadOnlyList<SignalPoint> Signals,
    string? DfiNullReason = null);

/// <summary>A stretch of one regime, entered at <see cref="StartNs"/> for <see cref="Reason"/>.</summary>
public sealed record RegimeSpan(long StartNs, long EndNs, DmaSlip.Core.Domain.Regime Regime, string Reason);

/// <summary>DFI (0–100) and PSO (coefficient of variation) at one time; either may be missing.</summary>
public sealed record SignalPoint(long TsNs, double? Dfi, double? Pso);

/// <summary>Mean markouts (bps, positive = favourable to us) of fills in one flush-pressure bucket.</summary>
public sealed record MarkoutRow(DmaSlip.Core.Attribution.PressureBucket PressureBucket, long Parents, double? Bps10ms, double? Bps100ms, double? Bps1s, double? Bps5s);

/// <summary>Passive fill ratio (filled / posted passive quantity, 0–1) of the parents in one flush-pressure bucket.</summary>
public sealed record FillRatioRow(DmaSlip.Core.Attribution.PressureBucket PressureBucket, long Parents, double PassiveFillRatio);

/// <summary>Desk metrics of one group of one dimension (pool, nic, numa, liquidity, session); DESIGN §4.5.</summary>
public sealed record DeskMetricRow(
    string Dimension,
    string Group,
    double? Dfi,
    double? Djs,
    double? Pso,
    double? QdlBps,
    double? IulMeanBps,
    double? IulQ95Bps,
    long Windows,
    long Parents);

/// <summary>
/// The fit's mean C_iommu over the parents under translation pressure, bps, with its 95 % interval and method;
/// <see cref="ParentsNeeded"/> when the interval does not exclude 0 (null: indistinguishable from 0, or resolved).
/// </summary>
public sealed record IommuSummary(double MeanBps, double LowBps, double HighBps, string Method, bool Resolved, int Parents, int? ParentsNeeded);
