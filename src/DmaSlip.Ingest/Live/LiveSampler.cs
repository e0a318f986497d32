using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;

namespace DmaSlip.Ingest.Live;

/// <summary>One sampling round: the counters read and the events their change since the previous round stands for.</summary>
public sealed record LiveSample(long TsNs, IReadOnlyList<HostCounter> Counters, IReadOnlyList<LiveEvent> Events);

/// <summary>
/// Samples this host's live sources (procfs, sysfs, ethtool, debugfs; tracefs probed) once per call: counters as read,
/// plus aggregated host events from counter deltas (<see cref="CounterDeltas"/>). Time comes from the injected
/// <see cref="TimeProvider"/>. Used by <c>dmaslip collect</c> and the fleet agent.
/// </summary>
public sealed class LiveSampler
{
    private readonly string _host;
    private readonly TimeProvider _time;
    private readonly LiveSamplerOptions _options;
    private readonly List<IHostSampler> _active = [];
    private Dictionary<(string, string, string), double> _previous = [];

    public LiveSampler(string host, TimeProvider time, LiveSamplerOptions? options = null, IReadOnlyList<IHostSampler>? samplers = null)
    {
        _host = host;
        _time = time;
        _options = options ?? new LiveSamplerOptions();
        var all = samplers ?? DefaultSamplers(_options);
        var statuses = new List<SourceStatus>();
        foreach (var s in all)
        {
            var status = s.Probe();
            statuses.Add(status);
            if (status.Available)
            {
                _active.Add(s);
            }
        }
        Sources = statuses;
    }

    /// <summary>Every source probed, available or not (with the reason).</summary>
    public IReadOnlyList<SourceStatus> Sources { get; }

    public static IReadOnlyList<IHostSampler> DefaultSamplers(LiveSamplerOptions o) =>
        [new NetDevSampler(o), new SoftnetSampler(o), new InterruptsSampler(o), new EthtoolSampler(o), new DmarLatencySampler(o), new TracefsProbe(o)];

    public LiveSample Sample()
    {
        var ts = _time.GetUtcNow().ToUnixTimeMilliseconds() * Time.NanosPerMilli;
        var counters = new List<HostCounter>();
        foreach (var s in _active)
        {
            try
            {
                s.Sample(ts, _host, counters);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // a source that vanished (interface down, module unloaded) skips this round
            }
        }
        var events = new List<LiveEvent>();
        if (_previous.Count > 0)
        {
            CounterDeltas.ToEvents(_previous, counters, ts, events);
        }
        var next = new Dictionary<(string, string, string), double>(counters.Count);
        foreach (var c in counters)
        {
            next[(c.Source, c.Device, c.Name)] = c.Value;
        }
        _previous = next;
        return new LiveSample(ts, counters, events);
    }

    /// <summary>This host's config (uname -r, /proc/cmdline, IOMMU group types, NIC drivers and NUMA nodes).</summary>
    public HostConfig ReadConfig()
    {
        var c = new HostConfig();
        c.Kernel = ReadLine(Path.Combine(_options.ProcRoot, "sys", "kernel", "osrelease"));
        c.Cmdline = ReadLine(Path.Combine(_options.ProcRoot, "cmdline"));
        var groups = Path.Combine(_options.SysRoot, "kernel", "iommu_groups");
        if (Directory.Exists(groups))
        {
            foreach (var g in Directory.GetDirectories(groups))
            {
                if (ReadLine(Path.Combine(g, "type")) is { } type)
                {
                    c.GroupTypes[Path.GetFileName(g)] = type;
                }
            }
        }
        foreach (var nic in Nics.List(_options))
        {
            var dev = Path.Combine(_options.SysRoot, "class", "net", nic, "device");
            var info = c.Nic(nic);
            if (int.TryParse(ReadLine(Path.Combine(dev, "numa_node")), System.Globalization.CultureInfo.InvariantCulture, out var node))
            {
                info.NumaNode = node;
            }
            var driverLink = Path.Combine(dev, "driver");
            info.Driver = Directory.Exists(driverLink) ? Path.GetFileName(new DirectoryInfo(driverLink).LinkTarget ?? driverLink) : null;
            var group = Path.Combine(dev, "iommu_group");
            if (Directory.Exists(group))
            {
                info.IommuGroup = Path.GetFileName(new DirectoryInfo(group).LinkTarget ?? group);
            }
            info.Version = ReadLine(Path.Combine(_options.SysRoot, "module", info.Driver ?? "-", "version")) ?? c.Kernel;
        }
        return c;
    }

    private static string? ReadLine(string path)
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
}
