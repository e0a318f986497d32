using System.Globalization;

namespace DmaSlip.Ingest.Live;

/// <summary>One network interface with a device behind it, as sysfs describes it.</summary>
public sealed record NicDevice(
    string Name,
    string DeviceName,
    string? PciAddress,
    string? Driver,
    int? NumaNode,
    string? PciVendor,
    string? PciDevice,
    string? IommuGroup,
    string? IommuUnit,
    IReadOnlyList<int> Irqs);

/// <summary>
/// The NICs of a host and the interrupt vectors behind them, from sysfs: <c>/sys/class/net/DEV/device</c> (resolved
/// through its links), the PCI function that owns the MSI vectors (<c>msi_irqs/</c> — for virtio-net the PCI parent
/// of the <c>virtioK</c> device), its <c>numa_node</c>, driver, vendor/device ids, IOMMU group and unit. So an IRQ that
/// /proc/interrupts names <c>virtio2-input.0</c> or <c>mlx5_comp3@pci:0000:01:00.0</c> is joined to the interface
/// name /proc/net/dev uses (<c>eth0</c>, <c>ens1f0np0</c>).
/// </summary>
public sealed class NicTopology
{
    private readonly Dictionary<int, NicDevice> _byIrq = [];
    private readonly Dictionary<string, NicDevice> _byAlias = new(StringComparer.Ordinal);

    private NicTopology(IReadOnlyList<NicDevice> nics)
    {
        Nics = nics;
        foreach (var nic in nics)
        {
            foreach (var irq in nic.Irqs)
            {
                _byIrq.TryAdd(irq, nic);
            }
            _byAlias.TryAdd(nic.Name, nic);
            _byAlias.TryAdd(nic.DeviceName, nic);
            if (nic.PciAddress is not null)
            {
                _byAlias.TryAdd(nic.PciAddress, nic);
            }
        }
    }

    public IReadOnlyList<NicDevice> Nics { get; }

    /// <summary>The interface an interrupt row belongs to: by its IRQ number (msi_irqs), else by the device its name carries (interface, PCI address or virtioK).</summary>
    public string? InterfaceOf(int irq, string nameDevice) =>
        _byIrq.TryGetValue(irq, out var nic) ? nic.Name : _byAlias.TryGetValue(nameDevice, out nic) ? nic.Name : null;

    public static NicTopology Read(LiveSamplerOptions o)
    {
        var net = Path.Combine(o.SysRoot, "class", "net");
        var nics = new List<NicDevice>();
        if (!Directory.Exists(net))
        {
            return new NicTopology(nics);
        }
        foreach (var name in Directory.GetFileSystemEntries(net).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
        {
            if (name == "lo" || (o.Devices is not null && !o.Devices.Contains(name)))
            {
                continue;
            }
            var device = SysPath.Real(Path.Combine(net, name, "device"));
            if (device is null || !Directory.Exists(device))
            {
                continue; // virtual interface (bridge, ifb, veth): no device, no queues of its own
            }
            var pci = PciFunction(o.SysRoot, device);
            var irqs = pci is null ? [] : Directory.GetFileSystemEntries(Path.Combine(pci, "msi_irqs")).Select(Path.GetFileName)
                .Select(f => int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).Where(n => n >= 0).Order().ToArray();
            var numa = SysPath.Int(Path.Combine(device, "numa_node")) ?? (pci is null ? null : SysPath.Int(Path.Combine(pci, "numa_node")));
            var driver = SysPath.Real(Path.Combine(device, "driver")) is { } d ? Path.GetFileName(d) : null;
            var owner = pci ?? device;
            nics.Add(new NicDevice(
                name,
                Path.GetFileName(device),
                pci is null ? null : Path.GetFileName(pci),
                driver,
                numa is >= 0 ? numa : null,
                SysPath.Line(Path.Combine(owner, "vendor")),
                SysPath.Line(Path.Combine(owner, "device")),
                SysPath.Real(Path.Combine(owner, "iommu_group")) is { } g ? Path.GetFileName(g) : null,
                SysPath.Real(Path.Combine(owner, "iommu")) is { } u ? Path.GetFileName(u) : null,
                irqs));
        }
        return new NicTopology(nics);
    }

    // The PCI function holding the MSI vectors: the device itself (mlx5, ice) or an ancestor (virtio-net's virtioK).
    private static string? PciFunction(string sysRoot, string device)
    {
        var dir = device;
        for (var i = 0; i < 3 && dir is not null; i++)
        {
            if (Directory.Exists(Path.Combine(dir, "msi_irqs")))
            {
                return dir;
            }
            dir = Path.GetDirectoryName(dir);
            if (dir is null || dir.Length <= sysRoot.Length)
            {
                return null;
            }
        }
        return null;
    }
}

/// <summary>sysfs helpers: physical path resolution (links resolved component by component, so <c>device/..</c> is the real parent) and one-line reads.</summary>
internal static class SysPath
{
    public static string? Real(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        var hops = 0;
        var queue = new Queue<string>(parts);
        while (queue.Count > 0)
        {
            var part = queue.Dequeue();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
                if (!info.Exists)
                {
                    return null;
                }
            }
            if (info.LinkTarget is { } target)
            {
                if (++hops > 40)
                {
                    return null;
                }
                var rest = queue.ToArray();
                queue.Clear();
                foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest))
                {
                    queue.Enqueue(p);
                }
                if (target.StartsWith('/'))
                {
                    current = "/";
                }
                continue;
            }
            current = next;
        }
        return current;
    }

    public static string? Line(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static int? Int(string path) =>
        int.TryParse(Line(path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>CPU list syntax "0-3,8,10-11" → the CPUs; empty when unreadable.</summary>
    public static List<int> CpuList(string? text)
    {
        var cpus = new List<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var one))
            {
                cpus.Add(one);
            }
            else if (dash > 0 && int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var lo)
                && int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var hi) && hi >= lo && hi - lo < 65_536)
            {
                for (var c = lo; c <= hi; c++)
                {
                    cpus.Add(c);
                }
            }
        }
        return cpus;
    }
}
