using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;

namespace DmaSlip.Ingest.Live;

/// <summary>One sampling round: the counters read and the events their change since the previous round stands for.</summary>
public sealed record LiveSample(long TsNs, IReadOnlyList<HostCounter> Counters, IReadOnlyList<LiveEvent> Events, IReadOnlyCollection<(string Device, int Queue)> Streams);

/// <summary>
/// The one set of live samplers of a host — procfs (<c>/proc/net/dev</c>, <c>softnet_stat</c>, <c>/proc/interrupts</c>
/// joined to interfaces through sysfs), sysfs (NUMA, IRQ affinity, IOMMU groups/units), ethtool statistics (SIOCETHTOOL),
/// perf counting (IOMMU PMUs, tracepoint counts), debugfs <c>dmar_perf_latency</c>, tracefs (probed) — used by
/// <c>dmaslip collect</c> and by <c>dmaslip agent --source live</c>. Each round returns the counters as read plus
/// aggregated host events from their deltas (<see cref="CounterDeltas"/>). Not thread-safe.
/// </summary>
public sealed class LiveSampler : IDisposable
{
    private readonly string _host;
    private readonly TimeProvider _time;
    private readonly LiveSamplerOptions _options;
    private readonly List<IHostSampler> _all;
    private readonly List<IHostSampler> _active = [];
    private readonly EthtoolAccess _ethtool;
    private Dictionary<(string, string, string), double> _previous = [];

    public LiveSampler(string host, TimeProvider time, LiveSamplerOptions? options = null, IReadOnlyList<IHostSampler>? samplers = null)
    {
        _host = host;
        _time = time;
        _options = options ?? new LiveSamplerOptions();
        Topology = NicTopology.Read(_options);
        _ethtool = new EthtoolAccess(_options);
        _all = samplers?.ToList() ?? DefaultSamplers(_options, Topology, _ethtool);
        var statuses = new List<SourceStatus>();
        foreach (var s in _all)
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

    /// <summary>Every source probed, available or not (with the reason and the privilege it needs).</summary>
    public IReadOnlyList<SourceStatus> Sources { get; }

    /// <summary>The NICs and their interrupt vectors as sysfs describes them.</summary>
    public NicTopology Topology { get; }

    public string Host => _host;

    private static List<IHostSampler> DefaultSamplers(LiveSamplerOptions o, NicTopology topology, EthtoolAccess ethtool) =>
    [
        new NetDevSampler(o), new SoftnetSampler(o), new InterruptsSampler(o, topology), new SysfsSampler(o, topology),
        new EthtoolSampler(topology, ethtool), new PerfSampler(o), new DmarLatencySampler(o), new TracefsProbe(o),
    ];

    /// <summary>Samples now (the clock's time).</summary>
    public LiveSample Sample() => Sample(_time.GetUtcNow().ToUnixTimeMilliseconds() * Time.NanosPerMilli);

    /// <summary>
    /// Samples now and stamps counters with <paramref name="tsNs"/>; the events of the deltas since the previous round
    /// are stamped <paramref name="eventTsNs"/> (default: <paramref name="tsNs"/>).
    /// </summary>
    public LiveSample Sample(long tsNs, long? eventTsNs = null)
    {
        var counters = new List<HostCounter>();
        foreach (var s in _active)
        {
            try
            {
                s.Sample(tsNs, _host, counters);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // a source that vanished (interface down, module unloaded) skips this round
            }
        }
        var next = new Dictionary<(string, string, string), double>(counters.Count);
        foreach (var c in counters)
        {
            next[(c.Source, c.Device, c.Name)] = c.Value;
        }
        var events = new List<LiveEvent>();
        var streams = new HashSet<(string, int)>();
        if (_previous.Count > 0)
        {
            CounterDeltas.ToEvents(_previous, counters, eventTsNs ?? tsNs, events, streams, next);
        }
        _previous = next;
        return new LiveSample(tsNs, counters, events, streams);
    }

    /// <summary>This host's identity (kernel, command line, IOMMU, NICs with driver/version/firmware, NUMA nodes).</summary>
    public HostConfig ReadConfig() => HostIdentity.Read(_options, Topology, _ethtool);

    public void Dispose()
    {
        foreach (var s in _all)
        {
            (s as IDisposable)?.Dispose();
        }
        _ethtool.Dispose();
    }
}
