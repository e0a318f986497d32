namespace DmaSlip.Core.Domain;

/// <summary>A regime change of one host's controller (<c>regime_transitions</c>).</summary>
public sealed record RegimeTransition(string Host, long TsNs, Regime From, Regime To, string Reason);

/// <summary>A routing-table change for a pool (<c>routes</c>).</summary>
public sealed record RouteChange(long TsNs, string Pool, string State, string Reason, string Actor);

/// <summary>A fitted model artifact (<c>models</c>).</summary>
public sealed record ModelArtifact(
    string ModelId,
    string Kind,
    long CreatedNs,
    long DataFromNs,
    long DataToNs,
    string Fingerprints,
    string MetricsJson,
    string Path);

/// <summary>
/// The fit's mean C_iommu over a scope's parents under translation pressure (not calm-labelled), bps, with its 95 %
/// interval and method (<c>iommu_estimates</c>; scope = a pool or "all"). <c>ParentsNeeded</c>: the parents at which
/// the smallest resolvable effect would reach the estimate (null when resolved or the estimate is 0).
/// </summary>
public sealed record IommuEstimateRow(
    string Scope,
    long ComputedNs,
    int Parents,
    double MeanBps,
    double LowBps,
    double HighBps,
    string Method,
    bool Resolved,
    double MdeBps,
    int? ParentsNeeded);

/// <summary>One ingested file (<c>ingest_files</c>), keyed by the SHA-256 of its content.</summary>
public sealed record IngestFile(
    string ContentHash,
    string Path,
    string Format,
    string? Host,
    long Records,
    long Skipped,
    long Quarantined,
    long IngestedNs);

/// <summary>A record that did not parse (<c>quarantine</c>): where, why, and the raw text (truncated).</summary>
public sealed record QuarantineRecord(string FileHash, string Path, long Offset, string Reason, string Raw);
