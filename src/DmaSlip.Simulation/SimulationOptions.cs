namespace DmaSlip.Simulation;

/// <summary>How to run a scenario (the scenario itself says what to simulate).</summary>
public sealed record SimulationOptions
{
    /// <summary>Policy source for every host; default <see cref="FixedPolicyProvider.Panic"/>.</summary>
    public IPolicyProvider Policy { get; init; } = FixedPolicyProvider.Panic;

    /// <summary>Write the output folder (real formats + truth) here; null = in-memory results only.</summary>
    public string? OutputDir { get; init; }

    /// <summary>Threads for hosts/twins and parents; default all cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Length of each per-event trace window (around each storm onset and one calm sample), ms.</summary>
    public int TraceWindowMs { get; init; } = 10;

    /// <summary>Interval of the snapshot series (ethtool -S, softnet_stat, /proc/interrupts, dmar_perf_latency), seconds.</summary>
    public int SnapshotSeconds { get; init; } = 1;

    /// <summary>
    /// Interval of the two <c>perf stat -I</c> collectors (IOMMU PMU, per-CPU tracepoint counts), ms. Default 100:
    /// one interval per host-frame window, so counter frames resolve the same windows as the simulator's own.
    /// </summary>
    public int PerfStatIntervalMs { get; init; } = 100;

    /// <summary>Keep every real host's frames in <see cref="SimulationResult.Frames"/> (for loading a store directly).</summary>
    public bool KeepFrames { get; init; }

    /// <summary>Width of the truth windows (and host frames), ms.</summary>
    public int WindowMs { get; init; } = 100;
}
