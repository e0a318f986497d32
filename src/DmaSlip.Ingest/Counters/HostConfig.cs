using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// Facts about one host's configuration gathered from ethtool -i, /proc/cmdline, uname -r and sysfs
/// (<c>iommu_groups/*/type</c>, <c>net/*/device/numa_node</c>), turned into <c>hosts</c> rows with a fingerprint.
/// Used by ingest (files) and by the live sampler (reading the same files on this host).
/// </summary>
public sealed class HostConfig
{
    private long _latestTs;

    public string? Kernel { get; set; }

    public string? Cmdline { get; set; }

    /// <summary>IOMMU group id → sysfs type (DMA, DMA-FQ, identity, ...).</summary>
    public Dictionary<string, string> GroupTypes { get; } = new(StringComparer.Ordinal);

    /// <summary>NIC → (driver, version, firmware, bus-info, numa node).</summary>
    public Dictionary<string, NicInfo> Nics { get; } = new(StringComparer.Ordinal);

    public NicInfo Nic(string device)
    {
        if (!Nics.TryGetValue(device, out var n))
        {
            n = new NicInfo();
            Nics[device] = n;
        }
        return n;
    }

    public void ObserveTime(long tsNs) => _latestTs = Math.Max(_latestTs, tsNs);

    /// <summary>
    /// Whether the host has IOMMU units (<c>/sys/class/iommu</c> non-empty); null when the inputs do not say (files
    /// ingested without that listing). A host known to have none translates no DMA: its mode is passthrough.
    /// </summary>
    public bool? IommuPresent { get; set; }

    /// <summary>
    /// The IOMMU mode: the sysfs type of the NIC's group where known (the kernel's actual choice), else the most common
    /// DMA-domain type among the groups, else what the command line asks for, else passthrough when the host is known
    /// to have no IOMMU; null when nothing says.
    /// </summary>
    public IommuMode? Mode(string? nicGroup = null)
    {
        if (nicGroup is not null && GroupTypes.TryGetValue(nicGroup, out var t) && EnumText.TryParseIommuMode(t, out var m))
        {
            return m;
        }
        var best = GroupTypes.Values
            .Where(v => v is "DMA" or "DMA-FQ" or "identity")
            .GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
        if (best is not null && EnumText.TryParseIommuMode(best, out var bm))
        {
            return bm;
        }
        if (Cmdline is not null && HostFingerprint.ModeFromCmdline(Cmdline) is { } cm)
        {
            return cm;
        }
        return IommuPresent == false ? IommuMode.Passthrough : null;
    }

    /// <summary>
    /// One <c>hosts</c> row per NIC. What these inputs do not say is carried over from the host's latest row for that
    /// device in <paramref name="previous"/> (a kernel upgrade ingested alone keeps the NIC's driver, NUMA nodes and
    /// pool), and a device known only from <paramref name="previous"/> gets a row when the kernel or mode changed.
    /// The pool is <paramref name="pool"/> when given, else the previous row's, else empty. A row with the same facts as the previous
    /// one (validity time and fingerprint aside) is not repeated; a row without kernel or IOMMU mode is not guessed.
    /// </summary>
    public IEnumerable<HostInfo> HostRows(string host, long? validFromNs, string? pool = null, IReadOnlyList<HostInfo>? previous = null)
    {
        var latest = (previous ?? []).Where(p => string.Equals(p.Host, host, StringComparison.Ordinal))
            .GroupBy(p => p.Device, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.ValidFromNs).First(), StringComparer.Ordinal);
        var devices = Nics.Keys.Concat(latest.Keys).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            Nics.TryGetValue(device, out var nic);
            latest.TryGetValue(device, out var prev);
            var kernel = Kernel ?? prev?.Kernel;
            var mode = Mode(nic?.IommuGroup) ?? prev?.IommuMode;
            if (kernel is null || mode is null)
            {
                continue;
            }
            var driver = nic?.Driver ?? prev?.Driver ?? "";
            var version = nic?.Version ?? prev?.DriverVersion ?? "";
            var row = new HostInfo(host, pool ?? prev?.Pool ?? "", device, nic?.Model ?? prev?.NicModel ?? "", driver, version, kernel, mode.Value,
                nic?.NumaNode ?? prev?.NumaNode ?? -1, nic?.CpuNumaNode ?? prev?.CpuNumaNode ?? -1,
                HostFingerprint.Compute(kernel, driver, version, mode.Value), validFromNs ?? _latestTs, prev?.SecurityReview);
            // Same facts as the stored row: nothing changed (its fingerprint may come from another function, e.g. the
            // simulator's inventory, so it is not compared).
            if (prev is not null && row with { ValidFromNs = prev.ValidFromNs, Fingerprint = prev.Fingerprint } == prev)
            {
                continue;
            }
            yield return row;
        }
    }
}

/// <summary>What ethtool -i and sysfs say about one NIC.</summary>
public sealed class NicInfo
{
    public string? Driver { get; set; }

    public string? Version { get; set; }

    public string? Firmware { get; set; }

    public string? BusInfo { get; set; }

    public int? NumaNode { get; set; }

    public string? IommuGroup { get; set; }

    /// <summary>The NIC hardware: PCI vendor:device ids (and firmware when known), e.g. "pci 15b3:1017, firmware 16.35.2000".</summary>
    public string? Model { get; set; }

    /// <summary>The NUMA node of the CPUs its queue interrupts are delivered to (the CPUs that run its NAPI polls).</summary>
    public int? CpuNumaNode { get; set; }
}
