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
    /// The IOMMU mode: the sysfs type of the NIC's group where known (the kernel's actual choice), else the most common
    /// DMA-domain type among the groups, else what the command line asks for; null when nothing says.
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
        return Cmdline is null ? null : HostFingerprint.ModeFromCmdline(Cmdline);
    }

    /// <summary>One <c>hosts</c> row per known NIC, when kernel and IOMMU mode are known (else nothing: no guessing).</summary>
    public IEnumerable<HostInfo> HostRows(string host, long? validFromNs)
    {
        if (Kernel is null)
        {
            yield break;
        }
        foreach (var (device, nic) in Nics.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (Mode(nic.IommuGroup) is not { } mode)
            {
                continue;
            }
            var driver = nic.Driver ?? "";
            var version = nic.Version ?? "";
            yield return new HostInfo(host, "", device, driver, driver, version, Kernel, mode, nic.NumaNode ?? -1, nic.NumaNode ?? -1,
                HostFingerprint.Compute(Kernel, driver, version, mode), validFromNs ?? _latestTs, null);
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
}
