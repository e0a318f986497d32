using System.Diagnostics;
using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// Driver statistics of each NIC (the <c>ethtool -S</c> counters: per-queue packets, page-pool and legacy cache
/// counters) through <see cref="EthtoolAccess"/> (source <c>ethtool</c>). Needs no privilege.
/// </summary>
internal sealed class EthtoolSampler(NicTopology topology, EthtoolAccess ethtool) : IHostSampler
{
    private readonly List<(string Name, double Value)> _stats = [];

    public string Name => "ethtool statistics";

    public SourceStatus Probe()
    {
        if (topology.Nics.Count == 0)
        {
            return new SourceStatus(Name, false, "no NIC (no /sys/class/net/*/device)");
        }
        var found = new List<string>();
        string? firstError = null;
        foreach (var nic in topology.Nics)
        {
            _stats.Clear();
            if (ethtool.Statistics(nic.Name, _stats, out var error))
            {
                found.Add($"{nic.Name} ({_stats.Count} counters)");
            }
            else
            {
                firstError ??= $"{nic.Name}: {error}";
            }
        }
        return found.Count > 0
            ? new SourceStatus(Name, true, $"{ethtool.Method}: {string.Join(", ", found)}")
            : new SourceStatus(Name, false, $"{ethtool.Method}: {firstError}");
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        foreach (var nic in topology.Nics)
        {
            _stats.Clear();
            if (ethtool.Statistics(nic.Name, _stats, out _))
            {
                foreach (var (name, value) in _stats)
                {
                    into.Add(new HostCounter(tsNs, host, "ethtool", nic.Name, name, value));
                }
            }
        }
    }
}

/// <summary>
/// sysfs placement of each NIC's queues (source <c>sysfs</c>): <c>numa_node</c> of the NIC, and per queue vector the
/// CPU its interrupt is delivered to (<c>/proc/irq/N/effective_affinity_list</c>, else <c>smp_affinity_list</c>) and
/// whether that CPU is on the NIC's node (<c>queueQ.irq_numa_local</c> 1/0; absent when either node is unknown).
/// The probe also reports the IOMMU units (<c>/sys/class/iommu</c>) and the NICs' IOMMU groups and their types.
/// Placement changes rarely (irqbalance, an operator), so it is read at most every <see cref="PeriodNs"/>; the vector
/// list and the CPU → node map are read once.
/// </summary>
internal sealed class SysfsSampler(LiveSamplerOptions o, NicTopology topology) : IHostSampler
{
    public const long PeriodNs = 10 * Time.NanosPerSecond;

    private Dictionary<int, int>? _nodes;
    private Dictionary<string, List<(int Irq, int Queue)>>? _vectors;
    private long _lastNs = long.MinValue;

    public string Name => "sysfs:net/iommu/irq";

    public SourceStatus Probe()
    {
        if (topology.Nics.Count == 0)
        {
            return new SourceStatus(Name, false, $"no NIC under {Path.Combine(o.SysRoot, "class", "net")} with a device behind it");
        }
        var units = Directory.Exists(Path.Combine(o.SysRoot, "class", "iommu"))
            ? Directory.GetFileSystemEntries(Path.Combine(o.SysRoot, "class", "iommu")).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];
        var nics = topology.Nics.Select(n => $"{n.Name}: {n.Driver ?? "no driver"}, node {n.NumaNode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}, "
            + (n.IommuGroup is null ? "no IOMMU group" : $"IOMMU group {n.IommuGroup} {SysPath.Line(Path.Combine(o.SysRoot, "kernel", "iommu_groups", n.IommuGroup, "type")) ?? "(type unreadable)"}"));
        var iommu = units.Count == 0 ? "no IOMMU units in /sys/class/iommu (DMA not translated)" : "IOMMU units " + string.Join(",", units);
        return new SourceStatus(Name, true, $"{iommu}; {string.Join("; ", nics)}");
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        if (_lastNs != long.MinValue && tsNs - _lastNs < PeriodNs)
        {
            return;
        }
        _lastNs = tsNs;
        var nodes = _nodes ??= CpuNodes(o.SysRoot);
        _vectors ??= topology.Nics.ToDictionary(n => n.Name, n => QueueVectors(n).ToList(), StringComparer.Ordinal);
        foreach (var nic in topology.Nics)
        {
            if (nic.NumaNode is { } node)
            {
                into.Add(new HostCounter(tsNs, host, "sysfs", nic.Name, "numa_node", node));
            }
            foreach (var (irq, queue) in _vectors[nic.Name])
            {
                var cpu = IrqCpu(o.ProcRoot, irq);
                if (cpu is null)
                {
                    continue;
                }
                var q = "queue" + queue.ToString(CultureInfo.InvariantCulture);
                into.Add(new HostCounter(tsNs, host, "sysfs", nic.Name, q + ".irq_cpu", cpu.Value));
                if (nic.NumaNode is { } nn && nodes.TryGetValue(cpu.Value, out var cn))
                {
                    into.Add(new HostCounter(tsNs, host, "sysfs", nic.Name, q + ".irq_numa_local", nn == cn ? 1 : 0));
                }
            }
        }
    }

    // The NIC's receive-queue vectors: its MSI IRQs whose names /sys/kernel/irq/N/actions (else /proc/interrupts) give a queue.
    private IEnumerable<(int Irq, int Queue)> QueueVectors(NicDevice nic)
    {
        foreach (var irq in nic.Irqs)
        {
            var actions = SysPath.Line(Path.Combine(o.SysRoot, "kernel", "irq", irq.ToString(CultureInfo.InvariantCulture), "actions"));
            if (actions is not null && Counters.InterruptsParser.TryNicVector(System.Text.Encoding.ASCII.GetBytes(actions), out _, out var queue))
            {
                yield return (irq, queue);
            }
        }
    }

    internal static int? IrqCpu(string procRoot, int irq)
    {
        var dir = Path.Combine(procRoot, "irq", irq.ToString(CultureInfo.InvariantCulture));
        var cpus = SysPath.CpuList(SysPath.Line(Path.Combine(dir, "effective_affinity_list")));
        if (cpus.Count == 0)
        {
            cpus = SysPath.CpuList(SysPath.Line(Path.Combine(dir, "smp_affinity_list")));
        }
        return cpus.Count == 0 ? null : cpus[0];
    }

    /// <summary>CPU → NUMA node from <c>/sys/devices/system/node/nodeN/cpulist</c>.</summary>
    internal static Dictionary<int, int> CpuNodes(string sysRoot)
    {
        var map = new Dictionary<int, int>();
        var dir = Path.Combine(sysRoot, "devices", "system", "node");
        if (!Directory.Exists(dir))
        {
            return map;
        }
        foreach (var nodeDir in Directory.GetDirectories(dir, "node*"))
        {
            if (int.TryParse(Path.GetFileName(nodeDir).AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var node))
            {
                foreach (var cpu in SysPath.CpuList(SysPath.Line(Path.Combine(nodeDir, "cpulist"))))
                {
                    map[cpu] = node;
                }
            }
        }
        return map;
    }
}

/// <summary>The Intel IOMMU debugfs latency histogram (needs root, debugfs and CONFIG_INTEL_IOMMU_DEBUGFS).</summary>
internal sealed class DmarLatencySampler(LiveSamplerOptions o) : IHostSampler
{
    internal const string DebugfsPrivilege = "debugfs mounted; root or CAP_DAC_READ_SEARCH (/sys/kernel/debug is mode 0700)";

    private string PathName => Path.Combine(o.SysRoot, "kernel", "debug", "iommu", "intel", "dmar_perf_latency");

    public string Name => "debugfs:dmar_perf_latency";

    public SourceStatus Probe()
    {
        var units = Path.Combine(o.SysRoot, "class", "iommu");
        if (!Directory.Exists(units) || !Directory.GetFileSystemEntries(units).Any(e => !Path.GetFileName(e).StartsWith('.')))
        {
            return new SourceStatus(Name, false, "no IOMMU (no units under /sys/class/iommu)", DebugfsPrivilege);
        }
        var debug = Path.Combine(o.SysRoot, "kernel", "debug");
        if (!Directory.Exists(Path.Combine(debug, "iommu")) && Directory.Exists(debug) && Directory.GetFileSystemEntries(debug).Length == 0)
        {
            return new SourceStatus(Name, false, $"debugfs not mounted at {debug} (mount -t debugfs none {debug})", DebugfsPrivilege);
        }
        if (!File.Exists(PathName))
        {
            return new SourceStatus(Name, false, "absent: kernel without CONFIG_INTEL_IOMMU_DEBUGFS (not an Intel IOMMU, or a production kernel)", DebugfsPrivilege);
        }
        return Files.Probe(Name, PathName, DebugfsPrivilege);
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var sink = new MemorySink();
        var ctx = new FileContext(sink, PathName, new string('0', 64), Formats.DmarPerfLatency, host, tsNs);
        using (var fs = File.OpenRead(PathName))
        {
            new DmarLatencyParser().Parse(fs, ctx);
        }
        ctx.Flush();
        into.AddRange(sink.Rows<HostCounter>().Where(c => !c.Name.EndsWith("_per_s", StringComparison.Ordinal)));
    }
}

/// <summary>tracefs: probed only — collect does not switch tracepoints on (record with trace-cmd/perf and ingest the text).</summary>
internal sealed class TracefsProbe(LiveSamplerOptions o) : IHostSampler
{
    internal const string TracefsPrivilege = "tracefs mounted; root or CAP_DAC_READ_SEARCH to read it (mode 0700), CAP_SYS_ADMIN to enable events";

    public string Name => "tracefs";

    public SourceStatus Probe()
    {
        var dir = new[] { Path.Combine(o.SysRoot, "kernel", "tracing"), Path.Combine(o.SysRoot, "kernel", "debug", "tracing") }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "trace")));
        if (dir is null)
        {
            return new SourceStatus(Name, false, "tracefs not mounted (mount -t tracefs nodev /sys/kernel/tracing)", TracefsPrivilege);
        }
        return new SourceStatus(Name, false,
            $"mounted at {dir}; live sampling counts tracepoints through perf instead of capturing: record with 'trace-cmd record -e iommu -e dma -e intel_iommu -e napi' and ingest the report",
            TracefsPrivilege);
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
    }
}

internal static class Tool
{
    public static string? Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin").Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }

    /// <summary>Runs a tool with a 5 s limit; its stdout, or null when it fails.</summary>
    public static string? Run(string exe, IEnumerable<string> args)
    {
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(5000))
            {
                p.Kill();
                return null;
            }
            return p.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
