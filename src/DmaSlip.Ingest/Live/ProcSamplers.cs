using System.Globalization;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Live;

/// <summary><c>/proc/net/dev</c>: per-interface rx/tx packets, bytes, drops (source <c>proc_net_dev</c>).</summary>
internal sealed class NetDevSampler(LiveSamplerOptions o) : IHostSampler
{
    private static readonly string[] Names = ["rx_bytes", "rx_packets", "rx_errs", "rx_drop", "rx_fifo", "rx_frame", "rx_compressed", "rx_multicast",
        "tx_bytes", "tx_packets", "tx_errs", "tx_drop", "tx_fifo", "tx_colls", "tx_carrier", "tx_compressed"];

    private string PathName => Path.Combine(o.ProcRoot, "net", "dev");

    public string Name => "procfs:/proc/net/dev";

    public SourceStatus Probe() => Files.Probe(Name, PathName);

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        foreach (var line in File.ReadLines(PathName))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue; // the two header lines
            }
            var dev = line[..colon].Trim();
            if (dev == "lo" || (o.Devices is not null && !o.Devices.Contains(dev)))
            {
                continue;
            }
            var values = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < Math.Min(values.Length, Names.Length); i++)
            {
                if (long.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                {
                    into.Add(new HostCounter(tsNs, host, "proc_net_dev", dev, Names[i], v));
                }
            }
        }
    }
}

/// <summary><c>/proc/net/softnet_stat</c> (source <c>softnet_stat</c>, device <c>cpu&lt;N&gt;</c>), via the ingest parser's line reader.</summary>
internal sealed class SoftnetSampler(LiveSamplerOptions o) : IHostSampler
{
    private string PathName => Path.Combine(o.ProcRoot, "net", "softnet_stat");

    public string Name => "procfs:/proc/net/softnet_stat";

    public SourceStatus Probe() => Files.Probe(Name, PathName);

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var index = 0;
        foreach (var line in File.ReadLines(PathName))
        {
            if (!SoftnetParser.TryParse(Encoding.ASCII.GetBytes(line), out var v, out var n))
            {
                continue;
            }
            var cpu = "cpu" + (n >= 13 ? v[12] : index).ToString(CultureInfo.InvariantCulture);
            index++;
            foreach (var (col, name) in SoftnetParser.Columns)
            {
                if (col <= n)
                {
                    into.Add(new HostCounter(tsNs, host, "softnet_stat", cpu, name, v[col - 1]));
                }
            }
        }
    }
}

/// <summary>
/// <c>/proc/interrupts</c> NIC queue vectors (source <c>interrupts</c>), summed over CPUs, stored under the interface
/// name: the IRQ number is joined to the interface through sysfs (<see cref="NicTopology"/>), so virtio-net's
/// <c>virtio2-input.0</c> lands on <c>eth0</c> like /proc/net/dev, and mlx5's <c>mlx5_comp3@pci:BDF</c> on its netdev.
/// A vector whose device is not a known interface keeps the name the kernel gave it.
/// </summary>
internal sealed class InterruptsSampler(LiveSamplerOptions o, NicTopology topology) : IHostSampler
{
    private string PathName => Path.Combine(o.ProcRoot, "interrupts");

    public string Name => "procfs:/proc/interrupts";

    public SourceStatus Probe()
    {
        var status = Files.Probe(Name, PathName);
        if (!status.Available)
        {
            return status;
        }
        var mapped = topology.Nics.Where(n => n.Irqs.Count > 0).Select(n => $"{n.Name} ← {n.PciAddress ?? n.DeviceName} IRQs {string.Join(',', n.Irqs)}").ToList();
        return status with { Detail = mapped.Count == 0 ? "readable; no NIC MSI vectors in sysfs (vectors keep their kernel names)" : "readable; " + string.Join("; ", mapped) };
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var cpus = -1;
        foreach (var line in File.ReadLines(PathName))
        {
            var t = line.Trim();
            if (cpus < 0)
            {
                cpus = t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                continue;
            }
            var colon = t.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(t.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var irq))
            {
                continue; // NMI:, LOC:, ... rows
            }
            var parts = t[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long sum = 0;
            var i = 0;
            for (; i < Math.Min(cpus, parts.Length) && long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var v); i++)
            {
                sum += v;
            }
            var names = Encoding.ASCII.GetBytes(string.Join(' ', parts.Skip(i)));
            if (InterruptsParser.TryNicVector(names, out var device, out var queue))
            {
                var kernelName = Encoding.ASCII.GetString(device);
                into.Add(new HostCounter(tsNs, host, "interrupts", topology.InterfaceOf(irq, kernelName) ?? kernelName,
                    "queue" + queue.ToString(CultureInfo.InvariantCulture) + ".interrupts", sum));
            }
        }
    }
}

internal static class Files
{
    public static SourceStatus Probe(string name, string path, string? privilege = null)
    {
        try
        {
            using var fs = File.OpenRead(path);
            return new SourceStatus(name, true, "readable", privilege);
        }
        catch (FileNotFoundException)
        {
            return new SourceStatus(name, false, $"{path} does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            return new SourceStatus(name, false, $"{path} does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            return new SourceStatus(name, false, $"{path}: permission denied", privilege ?? "read access to the file");
        }
        catch (IOException ex)
        {
            return new SourceStatus(name, false, $"{path}: {ex.Message}");
        }
    }

    /// <summary>Effective uid 0, from /proc/self/status ("Uid: real effective saved fs").</summary>
    public static bool IsRoot(string procRoot)
    {
        try
        {
            var uid = File.ReadLines(Path.Combine(procRoot, "self", "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var parts = uid?.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: >= 3 } && parts[2] == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
