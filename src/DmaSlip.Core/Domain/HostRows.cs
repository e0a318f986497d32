namespace DmaSlip.Core.Domain;

/// <summary>Inventory of one NIC on one host for a validity period (<c>hosts</c>).</summary>
public sealed record HostInfo(
    string Host,
    string Pool,
    string Device,
    string NicModel,
    string Driver,
    string DriverVersion,
    string Kernel,
    IommuMode IommuMode,
    int NumaNode,
    int CpuNumaNode,
    string Fingerprint,
    long ValidFromNs,
    string? SecurityReview);

/// <summary>
/// Host/DMA-path features of one (host, device, queue) window (<c>host_frames</c>, DESIGN §4.1).
/// Latencies in ns, rates per second, shares in [0, 1]. Null where the source gives nothing to compute from: the
/// flush, map and unmap rates of a frame that no invalidation/map source covered (a host whose only per-queue input is
/// its interrupt vectors) are null, never a 0 that looks like a measured quiet window.
/// </summary>
public sealed record HostFrame(
    string Host,
    string Device,
    int Queue,
    long WindowStartNs,
    long WindowNs,
    double? FlushRate,
    double? FlushBurstQ50,
    double? FlushBurstQ95,
    double? FlushBurstQ99,
    double? MapRate,
    double? UnmapRate,
    double? IotlbMissRatio,
    double? InvLatencyQ50Ns,
    double? InvLatencyQ99Ns,
    double? DmaLatencyQ50Ns,
    double? DmaLatencyQ99Ns,
    double? RingOscillation,
    double? NapiPollVarianceUs2,
    double? NapiSaturationShare,
    double? NumaLocalShare,
    double? RxCadenceCv,
    double? TxCadenceCv,
    long Events);

/// <summary>
/// Which real inputs fed one host frame (<c>host_frame_sources</c>): a <see cref="Features.FrameSources"/> bitmask.
/// A frame column whose inputs are absent from the mask is null.
/// </summary>
public sealed record HostFrameSources(string Host, string Device, int Queue, long WindowStartNs, long WindowNs, int Sources);

/// <summary>One sampled host counter value (<c>host_counters</c>): ethtool -S, softnet_stat, perf stat, dmar_perf_latency.</summary>
public sealed record HostCounter(long TsNs, string Host, string Source, string Device, string Name, double Value);

/// <summary>Ground truth of the simulator: the pressure state of one host queue window (<c>truth_windows</c>).</summary>
public sealed record TruthWindow(string Host, int Queue, long WindowStartNs, string PressureState);
