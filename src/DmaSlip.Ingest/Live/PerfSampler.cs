using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Live.Native;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// perf counting, system-wide, one counter per online CPU for tracepoints: the counts of <c>iommu:map</c>,
/// <c>iommu:unmap</c>, <c>intel_iommu:qi_submit</c>, <c>napi:napi_poll</c>, <c>net:netif_receive_skb</c>,
/// <c>net:net_dev_xmit</c> (ids from tracefs <c>events/SYS/NAME/id</c>), and the IOMMU PMUs' counters (<c>dmarN</c>:
/// iommu_requests, iotlb_lookup, iotlb_hit, pw_occupancy; <c>amd_iommu_N</c>: cmd_processed_inv, tlb_inv,
/// mem_iommu_tlb_pte_mis) on the PMU's own CPU. Each read yields the records <c>perf stat -I -A</c> gives ingest:
/// source <c>perf_stat</c>, device <c>cpuN</c> per CPU for a tracepoint or the PMU's name, value = the count of the
/// interval since the previous read (the first read after opening yields nothing). Counting never captures events,
/// so its cost does not grow with their rate. Needs CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8) and, for tracepoint
/// ids, a readable tracefs.
/// </summary>
internal sealed class PerfSampler(LiveSamplerOptions o) : IHostSampler, IDisposable
{
    internal const string Privilege = "CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8) or perf_event_paranoid ≤ -1; tracefs readable (CAP_DAC_READ_SEARCH) for tracepoint ids";

    internal static readonly string[] Tracepoints =
        ["iommu:map", "iommu:unmap", "intel_iommu:qi_submit", "napi:napi_poll", "net:netif_receive_skb", "net:net_dev_xmit"];

    private static readonly string[] DmarEvents = ["iommu_requests", "iotlb_lookup", "iotlb_hit", "pw_occupancy"];
    private static readonly string[] AmdEvents = ["cmd_processed_inv", "tlb_inv", "mem_iommu_tlb_pte_mis"];

    // One counter per fd: the device it is reported under (cpuN or the PMU), its last cumulative value.
    private readonly List<(string Name, string[] Devices, int[] Fds, ulong[] Last)> _open = [];
    private bool _primed;

    public string Name => "perf counting";

    public SourceStatus Probe()
    {
        CloseAll();
        var tracefs = new[] { Path.Combine(o.SysRoot, "kernel", "tracing"), Path.Combine(o.SysRoot, "kernel", "debug", "tracing") }
            .FirstOrDefault(d => Directory.Exists(Path.Combine(d, "events")));
        var wanted = new List<(string Device, string Name, uint Type, ulong Config, ulong Config1, ulong Config2, int[] Cpus)>();
        var notes = new List<string>();
        var cpus = SysPath.CpuList(SysPath.Line(Path.Combine(o.SysRoot, "devices", "system", "cpu", "online"))).ToArray();
        if (tracefs is null)
        {
            notes.Add("tracepoint ids unreadable: tracefs not mounted");
        }
        else
        {
            var missing = new List<string>();
            foreach (var tp in Tracepoints)
            {
                var parts = tp.Split(':');
                if (SysPath.Line(Path.Combine(tracefs, "events", parts[0], parts[1], "id")) is { } id
                    && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var config))
                {
                    wanted.Add(("tracepoint", tp, PerfEventOpen.TypeTracepoint, config, 0, 0, cpus));
                }
                else
                {
                    missing.Add(tp);
                }
            }
            if (missing.Count > 0)
            {
                notes.Add("tracepoints not in this kernel (or tracefs unreadable): " + string.Join(", ", missing));
            }
        }
        var pmus = PmuEvents(notes);
        wanted.AddRange(pmus);
        if (wanted.Count == 0)
        {
            return new SourceStatus(Name, false, string.Join("; ", notes), Privilege);
        }
        if (o.Recorded)
        {
            return new SourceStatus(Name, false,
                $"recorded tree: {wanted.Count} counters found ({string.Join(", ", wanted.Select(w => w.Device + "/" + w.Name).Distinct())}); counting needs the live kernel",
                Privilege);
        }
        string? firstError = null;
        foreach (var w in wanted)
        {
            var fds = new List<int>();
            foreach (var cpu in w.Cpus)
            {
                var fd = PerfEventOpen.Open(w.Type, w.Config, w.Config1, w.Config2, cpu, out var error);
                if (fd < 0)
                {
                    firstError ??= $"{w.Device}/{w.Name} on CPU {cpu}: {error}";
                    break;
                }
                fds.Add(fd);
            }
            if (fds.Count == w.Cpus.Length && fds.Count > 0)
            {
                var devices = w.Device == "tracepoint"
                    ? w.Cpus.Select(c => "cpu" + c.ToString(CultureInfo.InvariantCulture)).ToArray()
                    : w.Cpus.Select(_ => w.Device).ToArray();
                _open.Add((w.Name, devices, fds.ToArray(), new ulong[fds.Count]));
            }
            else
            {
                fds.ForEach(PerfEventOpen.Close);
            }
        }
        if (_open.Count == 0)
        {
            notes.Insert(0, firstError ?? "nothing opened");
            return new SourceStatus(Name, false, string.Join("; ", notes), Privilege);
        }
        notes.Insert(0, "counting " + string.Join(", ", _open.Select(x => (x.Devices[0].StartsWith("cpu", StringComparison.Ordinal) ? "tracepoint" : x.Devices[0]) + "/" + x.Name)));
        return new SourceStatus(Name, true, string.Join("; ", notes), Privilege);
    }

    private List<(string, string, uint, ulong, ulong, ulong, int[])> PmuEvents(List<string> notes)
    {
        var found = new List<(string, string, uint, ulong, ulong, ulong, int[])>();
        var dir = Path.Combine(o.SysRoot, "bus", "event_source", "devices");
        var pmus = Directory.Exists(dir)
            ? Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>()
                .Where(n => n.StartsWith("dmar", StringComparison.Ordinal) || n.StartsWith("amd_iommu_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (pmus.Count == 0)
        {
            notes.Add("no IOMMU PMU (no dmarN or amd_iommu_N under /sys/bus/event_source/devices; Intel needs VT-d 4.0 perfmon)");
            return found;
        }
        foreach (var pmu in pmus)
        {
            var root = Path.Combine(dir, pmu);
            if (SysPath.Line(Path.Combine(root, "type")) is not { } t || !uint.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var type))
            {
                continue;
            }
            var cpu = SysPath.CpuList(SysPath.Line(Path.Combine(root, "cpumask")) ?? "0");
            foreach (var ev in pmu.StartsWith("dmar", StringComparison.Ordinal) ? DmarEvents : AmdEvents)
            {
                if (SysPath.Line(Path.Combine(root, "events", ev)) is { } spec && TryEncode(root, spec, out var c0, out var c1, out var c2))
                {
                    found.Add((pmu, ev, type, c0, c1, c2, cpu.Count == 0 ? [0] : [cpu[0]]));
                }
            }
        }
        return found;
    }

    /// <summary>An event string "event_group=0x3,event=0x001" placed into config/config1/config2 by the PMU's <c>format/</c> files ("config:0-27").</summary>
    internal static bool TryEncode(string pmuRoot, string spec, out ulong config, out ulong config1, out ulong config2)
    {
        config = config1 = config2 = 0;
        foreach (var term in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = term.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? term : term[..eq];
            var valueText = eq < 0 ? "1" : term[(eq + 1)..];
            var value = valueText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(valueText.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : ulong.Parse(valueText, NumberStyles.None, CultureInfo.InvariantCulture);
            var format = SysPath.Line(Path.Combine(pmuRoot, "format", name));
            if (format is null)
            {
                return false;
            }
            var colon = format.IndexOf(':', StringComparison.Ordinal);
            var field = format[..colon];
            var bits = format[(colon + 1)..].Split('-');
            var lo = int.Parse(bits[0], CultureInfo.InvariantCulture);
            var shifted = value << lo;
            switch (field)
            {
                case "config": config |= shifted; break;
                case "config1": config1 |= shifted; break;
                case "config2": config2 |= shifted; break;
                default: return false;
            }
        }
        return true;
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        foreach (var (name, devices, fds, last) in _open)
        {
            for (var i = 0; i < fds.Length; i++)
            {
                if (!PerfEventOpen.TryRead(fds[i], out var v))
                {
                    continue;
                }
                if (_primed && v >= last[i])
                {
                    into.Add(new HostCounter(tsNs, host, "perf_stat", devices[i], name, v - last[i]));
                }
                last[i] = v;
            }
        }
        _primed = true;
    }

    private void CloseAll()
    {
        foreach (var (_, _, fds, _) in _open)
        {
            foreach (var fd in fds)
            {
                PerfEventOpen.Close(fd);
            }
        }
        _open.Clear();
        _primed = false;
    }

    public void Dispose() => CloseAll();
}
