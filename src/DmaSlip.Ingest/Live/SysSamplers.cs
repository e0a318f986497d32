using System.Diagnostics;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Live;

/// <summary><c>ethtool -S</c> of each NIC (interfaces with a <c>device</c> link in sysfs), parsed by the ingest parser.</summary>
internal sealed class EthtoolSampler(LiveSamplerOptions o) : IHostSampler
{
    public string Name => "ethtool -S";

    public SourceStatus Probe()
    {
        var exe = Tool.Find(o.Ethtool ?? "ethtool");
        if (exe is null)
        {
            return new SourceStatus(Name, false, "ethtool is not installed (apt-get install ethtool)");
        }
        var nics = Nics.List(o);
        if (nics.Count == 0)
        {
            return new SourceStatus(Name, false, "no physical NIC (no /sys/class/net/*/device)");
        }
        var probe = Tool.Run(exe, ["-S", nics[0]]);
        return probe is null
            ? new SourceStatus(Name, false, $"ethtool -S {nics[0]} failed (driver without statistics?)")
            : new SourceStatus(Name, true, string.Join(", ", nics));
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var exe = Tool.Find(o.Ethtool ?? "ethtool");
        if (exe is null)
        {
            return;
        }
        foreach (var nic in Nics.List(o))
        {
            var text = Tool.Run(exe, ["-S", nic]);
            if (text is null)
            {
                continue;
            }
            foreach (var line in text.Split('\n'))
            {
                var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
                if (colon > 0 && double.TryParse(line[(colon + 2)..].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v))
                {
                    into.Add(new HostCounter(tsNs, host, "ethtool", nic, line[..colon].Trim(), v));
                }
            }
        }
    }
}

/// <summary>The Intel IOMMU debugfs latency histogram (needs root, debugfs and CONFIG_INTEL_IOMMU_DEBUGFS).</summary>
internal sealed class DmarLatencySampler(LiveSamplerOptions o) : IHostSampler
{
    private string PathName => Path.Combine(o.SysRoot, "kernel", "debug", "iommu", "intel", "dmar_perf_latency");

    public string Name => "debugfs:dmar_perf_latency";

    public SourceStatus Probe()
    {
        if (!Directory.Exists(Path.Combine(o.SysRoot, "class", "iommu")) || Directory.GetDirectories(Path.Combine(o.SysRoot, "class", "iommu")).Length == 0)
        {
            return new SourceStatus(Name, false, "no IOMMU (no units under /sys/class/iommu)");
        }
        if (!Files.IsRoot(o.ProcRoot))
        {
            return new SourceStatus(Name, false, "not root (debugfs is root-only)");
        }
        if (!File.Exists(PathName))
        {
            return new SourceStatus(Name, false, "absent: debugfs not mounted or kernel without CONFIG_INTEL_IOMMU_DEBUGFS");
        }
        return Files.Probe(Name, PathName);
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var sink = new MemorySink();
        var ctx = new FileContext(sink, PathName, new string('0', 64), Formats.DmarPerfLatency, host, tsNs);
        using (var fs = File.OpenRead(PathName))
        {
            new DmarLatencyParser().Parse(fs, ctx);
        }
        into.AddRange(sink.Rows<HostCounter>().Where(c => !c.Name.EndsWith("_per_s", StringComparison.Ordinal)));
    }
}

/// <summary>tracefs: probed only — collect does not switch tracepoints on (record with trace-cmd/perf and ingest the text).</summary>
internal sealed class TracefsProbe(LiveSamplerOptions o) : IHostSampler
{
    public string Name => "tracefs";

    public SourceStatus Probe()
    {
        var dir = new[] { Path.Combine(o.SysRoot, "kernel", "tracing"), Path.Combine(o.SysRoot, "kernel", "debug", "tracing") }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "trace")));
        if (dir is null)
        {
            return new SourceStatus(Name, false, "tracefs not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
        }
        if (!Files.IsRoot(o.ProcRoot))
        {
            return new SourceStatus(Name, false, "not root (tracefs is root-only)");
        }
        return new SourceStatus(Name, false,
            $"mounted at {dir}, but collect does not enable tracepoints: run 'trace-cmd record -e iommu -e dma -e intel_iommu -e napi' and ingest its report");
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
    }
}

internal static class Nics
{
    public static List<string> List(LiveSamplerOptions o)
    {
        var net = Path.Combine(o.SysRoot, "class", "net");
        if (!Directory.Exists(net))
        {
            return [];
        }
        return Directory.GetDirectories(net).Select(Path.GetFileName).OfType<string>()
            .Where(d => d != "lo" && (o.Devices?.Contains(d) ?? Directory.Exists(Path.Combine(net, d, "device"))))
            .Order(StringComparer.Ordinal).ToList();
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
