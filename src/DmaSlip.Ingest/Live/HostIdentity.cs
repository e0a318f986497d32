using System.Globalization;
using DmaSlip.Ingest.Counters;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// What the machine says about itself, for its <c>hosts</c> rows: kernel release (<c>/proc/sys/kernel/osrelease</c>),
/// command line (its <c>iommu=</c>, <c>intel_iommu=</c>, <c>amd_iommu=</c>, <c>iommu.strict=</c> flags), IOMMU units and
/// group types (the default domain type the kernel chose), and per NIC: driver, version and firmware (ETHTOOL_GDRVINFO,
/// else the sysfs driver link and <c>/sys/module/DRV/version</c>), PCI ids, its NUMA node, and the NUMA node of the
/// CPUs its queue interrupts go to.
/// </summary>
internal static class HostIdentity
{
    public static HostConfig Read(LiveSamplerOptions o, NicTopology topology, EthtoolAccess ethtool)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(ethtool);
        var c = new HostConfig
        {
            Kernel = SysPath.Line(Path.Combine(o.ProcRoot, "sys", "kernel", "osrelease")),
            Cmdline = SysPath.Line(Path.Combine(o.ProcRoot, "cmdline")),
        };
        var units = Path.Combine(o.SysRoot, "class", "iommu");
        c.IommuPresent = Directory.Exists(units) && Directory.GetFileSystemEntries(units).Any(e => !Path.GetFileName(e).StartsWith('.'));
        var groups = Path.Combine(o.SysRoot, "kernel", "iommu_groups");
        if (Directory.Exists(groups))
        {
            foreach (var g in Directory.GetDirectories(groups))
            {
                if (SysPath.Line(Path.Combine(g, "type")) is { } type)
                {
                    c.GroupTypes[Path.GetFileName(g)] = type;
                }
            }
        }
        var cpuNodes = SysfsSampler.CpuNodes(o.SysRoot);
        foreach (var nic in topology.Nics)
        {
            var info = c.Nic(nic.Name);
            var drv = ethtool.DriverInfo(nic.Name);
            info.Driver = NonEmpty(drv?.Driver) ?? nic.Driver;
            info.Version = NonEmpty(drv?.Version)
                ?? SysPath.Line(Path.Combine(o.SysRoot, "module", info.Driver ?? "-", "version"))
                ?? c.Kernel; // an in-tree driver without its own version is versioned by the kernel (what ethtool -i prints)
            info.Firmware = NonEmpty(drv?.Firmware);
            info.BusInfo = NonEmpty(drv?.BusInfo) ?? nic.PciAddress;
            info.NumaNode = nic.NumaNode;
            info.IommuGroup = nic.IommuGroup;
            var ids = nic.PciVendor is not null && nic.PciDevice is not null ? $"pci {Hex(nic.PciVendor)}:{Hex(nic.PciDevice)}" : null;
            info.Model = ids is null ? null : info.Firmware is { Length: > 0 } fw && fw != "N/A" ? $"{ids}, firmware {fw}" : ids;
            info.CpuNumaNode = IrqNode(o, nic, cpuNodes);
        }
        return c;
    }

    // The node most of the NIC's vectors are delivered to; null when no vector's CPU has a known node.
    private static int? IrqNode(LiveSamplerOptions o, NicDevice nic, Dictionary<int, int> cpuNodes)
    {
        var votes = new Dictionary<int, int>();
        foreach (var irq in nic.Irqs)
        {
            if (SysfsSampler.IrqCpu(o.ProcRoot, irq) is { } cpu && cpuNodes.TryGetValue(cpu, out var node))
            {
                votes[node] = votes.GetValueOrDefault(node) + 1;
            }
        }
        return votes.Count == 0 ? null : votes.OrderByDescending(v => v.Value).ThenBy(v => v.Key).First().Key;
    }

    private static string Hex(string id) => id.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? id[2..].ToLower(CultureInfo.InvariantCulture) : id;

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
