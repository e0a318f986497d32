using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Live;

/// <summary>Whether a live source can be read on this host, and why not.</summary>
public sealed record SourceStatus(string Source, bool Available, string Detail);

/// <summary>
/// One live source of this host (procfs, sysfs, ethtool, debugfs, tracefs). <see cref="Probe"/> says whether it can be
/// read; <see cref="Sample"/> appends its current (cumulative) counter values. Implementations read files under
/// injectable roots so tests can point them at fixtures.
/// </summary>
public interface IHostSampler
{
    string Name { get; }

    SourceStatus Probe();

    void Sample(long tsNs, string host, List<HostCounter> into);
}

/// <summary>Where the live samplers read from (defaults: this machine).</summary>
public sealed record LiveSamplerOptions
{
    public string ProcRoot { get; init; } = "/proc";

    public string SysRoot { get; init; } = "/sys";

    /// <summary>The ethtool binary; null = search PATH.</summary>
    public string? Ethtool { get; init; }

    /// <summary>Interfaces to sample (null = every interface except loopback).</summary>
    public IReadOnlyList<string>? Devices { get; init; }
}
