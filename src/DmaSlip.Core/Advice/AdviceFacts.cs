using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Advice;

/// <summary>Per-host numbers the advice is computed from (all from stored tables).</summary>
public sealed record HostFacts(
    string Host,
    string Pool,
    IommuMode Mode,
    int NicNuma,
    int CpuNuma,
    int Fingerprints,
    long LastConfigChangeNs,
    string? SecurityReview,
    long Frames,
    double MapRate,
    double UnmapRate,
    double FlushRate,
    double? NumaLocalShare,
    double? Pso,
    int Storms,
    double StormTimeShare,
    IReadOnlyList<(long From, long To)> StormIntervals);

/// <summary>Per-parent outcome rows the ladder prices gains from.</summary>
public sealed record ParentFacts(string ParentId, string Host, string Pool, double IsBps, double? CIommuBps, PressureBucket PressureBucket, string Urgency);

/// <summary>The latest model artifact's data span and the host fingerprints it was fitted on.</summary>
public sealed record ModelFacts(string ModelId, long DataToNs, string Fingerprints);

/// <summary>Everything the rules read, loaded once from the store (by the application layer).</summary>
public sealed record AdviceInputs(
    IReadOnlyList<HostFacts> Hosts,
    IReadOnlyList<ParentFacts> Parents,
    IReadOnlyDictionary<string, (long[] SendTs, double[] Rtt)> RoundTrips,
    IReadOnlyDictionary<string, (long[] Sends, long[] Retries)> Traffic,
    ModelFacts? LatestModel);
