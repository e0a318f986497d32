using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// Whether a live source can be read on this host: <see cref="Detail"/> says what was found or why not, and
/// <see cref="Privilege"/> what the source needs (null = nothing beyond an ordinary user).
/// </summary>
public sealed record SourceStatus(string Source, bool Available, string Detail, string? Privilege = null);

/// <summary>
/// One live source of this host (procfs, sysfs, ethtool, perf, debugfs, tracefs). <see cref="Probe"/> says whether it
/// can be read; <see cref="Sample"/> appends its current (cumulative) counter values. Implementations read files under
/// injectable roots so tests can point them at recorded trees.
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

    /// <summary>The ethtool binary; null = search PATH (used only when the SIOCETHTOOL ioctl is refused).</summary>
    public string? Ethtool { get; init; }

    /// <summary>Interfaces to sample (null = every interface with a device behind it, loopback excluded).</summary>
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary>
    /// A recorded tree instead of this machine: the roots hold copies of procfs/sysfs files, <c>ethtool -S</c> and
    /// <c>ethtool -i</c> outputs are read from <see cref="RecordedEthtoolDir"/> (<c>DEV.S</c>, <c>DEV.i</c>), and no
    /// ioctl or perf_event_open is issued (they would reach this machine's kernel, not the recorded one).
    /// </summary>
    public bool Recorded { get; init; }

    /// <summary>Folder of recorded ethtool outputs (with <see cref="Recorded"/>).</summary>
    public string? RecordedEthtoolDir { get; init; }

    /// <summary>A recorded tree whose proc and sys folders are <c>DIR/proc</c> and <c>DIR/sys</c>, ethtool outputs in <c>DIR/ethtool</c>.</summary>
    public static LiveSamplerOptions RecordedTree(string dir) => new()
    {
        ProcRoot = Path.Combine(dir, "proc"),
        SysRoot = Path.Combine(dir, "sys"),
        Recorded = true,
        RecordedEthtoolDir = Path.Combine(dir, "ethtool"),
    };
}
