using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;

namespace DmaSlip.Ingest.Live;

/// <summary>One sampling round: the counters read, as ingest stores them (<c>host_counters</c> rows).</summary>
public sealed record LiveSample(long TsNs, IReadOnlyList<HostCounter> Counters);

/// <summary>
/// The one set of live samplers of a host — procfs (<c>/proc/net/dev</c>, <c>softnet_stat</c>, <c>/proc/interrupts</c>
/// joined to interfaces through sysfs), sysfs (NUMA, IRQ affinity, IOMMU groups/units), ethtool statistics (SIOCETHTOOL),
/// perf counting (IOMMU PMUs, tracepoint counts), debugfs <c>dmar_perf_latency</c>, tracefs (probed) — used by
/// <c>dmaslip collect</c> and by <c>dmaslip agent --source live</c>. Each round returns the counters as read, in the
/// shape ingest gives the same sources' files (per-CPU <c>perf_stat</c> interval counts, <c>/proc/interrupts</c>
/// vectors and their <c>irq_affinity</c>, cumulative ethtool/softnet/dmar counters), so frames are built from them by
/// the counter path <c>features</c> runs (<see cref="LiveCollector"/>). Not thread-safe.
/// </summary>
public sealed class LiveSampler : IDisposable
{
    private readonly string _host;
    private readonly TimeProvider _time;
    private readonly LiveSamplerOptions _options;
    private readonly List<IHostSampler> _all;
    private readonly List<IHostSampler> _active = [];
    private readonly EthtoolAccess _ethtool;
    private int[] _produced = [];
    private readonly HashSet<IHostSampler> _decided = [];

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

    /// <summary>Samples now and stamps the counters with <paramref name="tsNs"/>.</summary>
    public LiveSample Sample(long tsNs)
    {
        var counters = new List<HostCounter>();
        Sample(tsNs, counters);
        return new LiveSample(tsNs, counters);
    }

    /// <summary>Samples now into <paramref name="into"/> (appended), counters stamped <paramref name="tsNs"/>.</summary>
    public void Sample(long tsNs, List<HostCounter> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        if (_produced.Length != _active.Count)
        {
            _produced = new int[_active.Count];
        }
        for (var i = 0; i < _active.Count; i++)
        {
            var s = _active[i];
            var before = into.Count;
            try
            {
                s.Sample(tsNs, _host, into);
                _produced[i] = into.Count - before;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // a source that vanished (interface down, module unloaded) skips this round
            }
        }
    }

    /// <summary>
    /// Stops reading the samplers none of whose records in <paramref name="lastRound"/> (the last round's counters, as
    /// <see cref="Sample(long, List{HostCounter})"/> appended them) <paramref name="used"/> accepts: the agent reads only
    /// what its frames are made of (<c>collect</c> keeps every source, it stores the counters). A sampler that gave
    /// nothing this round is kept and judged at a later round (sysfs placement is read every 10 s). Returns the names of
    /// the samplers dropped by this call.
    /// </summary>
    public IReadOnlyList<string> KeepOnlyUsed(IReadOnlyList<HostCounter> lastRound, Func<HostCounter, bool> used)
    {
        ArgumentNullException.ThrowIfNull(lastRound);
        ArgumentNullException.ThrowIfNull(used);
        var dropped = new List<string>();
        var keep = new List<IHostSampler>();
        var at = 0;
        for (var i = 0; i < _active.Count && i < _produced.Length; i++)
        {
            var any = _produced[i] == 0 || _decided.Contains(_active[i]);
            for (var k = at; k < at + _produced[i] && !any && k < lastRound.Count; k++)
            {
                any = used(lastRound[k]);
            }
            if (any && _produced[i] > 0)
            {
                _decided.Add(_active[i]);
            }
            at += _produced[i];
            if (any)
            {
                keep.Add(_active[i]);
            }
            else
            {
                dropped.Add(_active[i].Name);
            }
        }
        _active.Clear();
        _active.AddRange(keep);
        _produced = [];
        return dropped;
    }

    /// <summary>Samplers read now whose use is not yet known (they have not given a record since <see cref="KeepOnlyUsed"/> began).</summary>
    public int UndecidedSamplers
    {
        get
        {
            var n = 0;
            foreach (var s in _active)
            {
                n += _decided.Contains(s) ? 0 : 1;
            }
            return n;
        }
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
