using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>A per-queue counted quantity (tracepoint counts per CPU, ethtool per-ring deltas).</summary>
public enum QueueSeries
{
    Map,
    Unmap,
    QiSubmit,
    NapiPoll,
    Rx,
    Tx,
    EthtoolPolls,
    EthtoolArms,
    EthtoolSlowAllocs,
    EthtoolWaived,
}

/// <summary>A host-wide counted quantity (the IOMMU unit's PMU, the dmar_perf_latency decade buckets 0–6).</summary>
public enum HostSeries
{
    IotlbLookup,
    IotlbHit,
    InvBucket0,
}

/// <summary>
/// Host frames of one (host, device) from counter streams, the sources a host collects all day (docs/METRICS.md
/// "Where each column comes from"). Every input is an interval [start, end) with a count; an interval that straddles
/// frame windows is shared among them in proportion to the overlap (uniform within the interval: exact when the
/// collector's interval equals and is aligned with the window, as <c>perf stat -I 100</c> is). Frames exist where the
/// per-queue qi_submit counts cover part of the window; rates divide by the covered time. Windows a trace capture
/// covers entirely take the columns only per-event timing gives (burst quantiles, cadence) from the trace frame.
/// Memory: 11 doubles per (queue, window) and 10 per window of the span, allocated once.
/// </summary>
public sealed partial class CounterFrameBuilder
{
    private const int QK = 10;
    private const int HK = 10;     // IOTLB lookup, hit, 7 dmar buckets, ns covered by dmar deltas
    private readonly string _host, _device;
    private readonly int _queues;
    private readonly long _origin, _windowNs;
    private readonly int _windows;
    private readonly double[] _q;      // [(q * W + w) * QK + series]
    private readonly double[] _cover;  // ns of (q, w) covered by qi_submit counts
    private readonly double[] _h;      // [w * HK + series]
    private readonly HostFrame?[] _trace;
    private readonly List<(long Start, long End)> _captures = [];
    private FrameSources _hostSources;

    public CounterFrameBuilder(string host, string device, int queues, long fromNs, long toNs, long windowNs)
    {
        if (queues < 1 || windowNs <= 0 || toNs <= fromNs)
        {
            throw new ArgumentException("need ≥ 1 queue, a positive window and toNs > fromNs");
        }
        _host = host;
        _device = device;
        _queues = queues;
        _windowNs = windowNs;
        _origin = (long)Math.Floor(fromNs / (double)windowNs) * windowNs;
        while (_origin > fromNs)
        {
            _origin -= windowNs;
        }
        _windows = (int)((toNs - _origin + windowNs - 1) / windowNs);
        var qw = queues * _windows;
        _q = new double[qw * QK];
        _cover = new double[qw];
        _h = new double[_windows * HK];
        _trace = new HostFrame?[qw];
    }

    public int Queues => _queues;

    public long WindowNs => _windowNs;

    /// <summary>Inputs the host had at all (each frame's mask says which covered its window).</summary>
    public FrameSources HostSources => _hostSources;

    /// <summary>Adds <paramref name="count"/> of a per-queue series over [start, end).</summary>
    public void AddQueue(QueueSeries series, int queue, long startNs, long endNs, double count)
    {
        if ((uint)queue >= (uint)_queues || count < 0 || endNs <= startNs)
        {
            return;
        }
        _hostSources |= series <= QueueSeries.Tx ? FrameSources.TracepointCounts : FrameSources.Ethtool;
        var len = (double)(endNs - startNs);
        var (w0, w1) = Range(startNs, endNs);
        for (var w = w0; w <= w1; w++)
        {
            var ws = _origin + w * _windowNs;
            var overlap = Math.Min(endNs, ws + _windowNs) - Math.Max(startNs, ws);
            if (overlap <= 0)
            {
                continue;
            }
            var i = queue * _windows + w;
            _q[i * QK + (int)series] += count * overlap / len;
            if (series == QueueSeries.QiSubmit)
            {
                _cover[i] += overlap;
            }
        }
    }

    /// <summary>Adds <paramref name="count"/> of a host-wide series over [start, end); dmar buckets are <c>InvBucket0 + k</c>.</summary>
    public void AddHost(HostSeries series, long startNs, long endNs, double count)
    {
        var s = (int)series;
        if (s < 0 || s >= DmarCoverSlot || count < 0 || endNs <= startNs)
        {
            return;
        }
        _hostSources |= s <= (int)HostSeries.IotlbHit ? FrameSources.IommuPmu : FrameSources.DmarLatency;
        var len = (double)(endNs - startNs);
        var (w0, w1) = Range(startNs, endNs);
        for (var w = w0; w <= w1; w++)
        {
            var ws = _origin + w * _windowNs;
            var overlap = Math.Min(endNs, ws + _windowNs) - Math.Max(startNs, ws);
            if (overlap > 0)
            {
                _h[w * HK + s] += count * overlap / len;
                if (s >= (int)HostSeries.InvBucket0)
                {
                    _h[w * HK + DmarCoverSlot] += overlap / 7.0; // a snapshot delta has 7 buckets: > 0 = the window was read
                }
            }
        }
    }

    /// <summary>Marks that the per-CPU counts reached queues through /proc/interrupts affinity.</summary>
    public void UsedInterrupts() => _hostSources |= FrameSources.Interrupts;

    /// <summary>A trace capture's span: windows inside it may take trace columns.</summary>
    public void AddCapture(long startNs, long endNs) => _captures.Add((startNs, endNs));

    /// <summary>
    /// A frame computed from trace events (same device, queue, window length). Kept only when one capture spans the
    /// whole window (within one slot at each edge: the first and last traced events fall inside the first and last ms).
    /// </summary>
    public bool AddTraceFrame(HostFrame f, long slotNs)
    {
        if (f.WindowNs != _windowNs || (uint)f.Queue >= (uint)_queues)
        {
            return false;
        }
        var covered = false;
        foreach (var (s, e) in _captures)
        {
            covered |= s < f.WindowStartNs + slotNs && e >= f.WindowStartNs + f.WindowNs - slotNs;
        }
        var w = (f.WindowStartNs - _origin) / _windowNs;
        if (!covered || w < 0 || w >= _windows)
        {
            return false;
        }
        _trace[f.Queue * _windows + w] = f;
        _hostSources |= FrameSources.Trace;
        return true;
    }

    private (int W0, int W1) Range(long startNs, long endNs) =>
        ((int)Math.Max(0, (startNs - _origin) / _windowNs), (int)Math.Min(_windows - 1, (endNs - 1 - _origin) / _windowNs));

    /// <summary>Emits every frame, queue by queue in time order, with the sources that fed it; returns the count.</summary>
    public long Emit(Action<HostFrame, FrameSources> emit)
    {
        long n = 0;
        for (var q = 0; q < _queues; q++)
        {
            for (var w = 0; w < _windows; w++)
            {
                var i = q * _windows + w;
                if (_cover[i] <= 0 && _trace[i] is null)
                {
                    continue;
                }
                emit(Build(q, w, i, out var sources), sources);
                n++;
            }
        }
        return n;
    }

    private HostFrame Build(int q, int w, int i, out FrameSources sources)
    {
        sources = FrameSources.None;
        var t = _trace[i];
        var start = _origin + w * _windowNs;
        var c = _q.AsSpan(i * QK, QK);
        double flush, map, unmap;
        long events;
        if (_cover[i] > 0)
        {
            sources |= FrameSources.TracepointCounts | (_hostSources & FrameSources.Interrupts);
            var secs = _cover[i] / Time.NanosPerSecond;
            flush = c[(int)QueueSeries.QiSubmit] / secs;
            map = c[(int)QueueSeries.Map] / secs;
            unmap = c[(int)QueueSeries.Unmap] / secs;
            double sum = 0;
            for (var k = 0; k <= (int)QueueSeries.Tx; k++)
            {
                sum += c[k];
            }
            events = (long)Math.Round(sum);
        }
        else
        {
            (flush, map, unmap, events) = (t!.FlushRate, t.MapRate, t.UnmapRate, t.Events);
        }
        var h = _h.AsSpan(w * HK, HK);
        double? miss = null;
        if (h[(int)HostSeries.IotlbLookup] > 0)
        {
            miss = Math.Clamp(1 - h[(int)HostSeries.IotlbHit] / h[(int)HostSeries.IotlbLookup], 0, 1);
            sources |= FrameSources.IommuPmu;
        }
        double? saturation = null, numa = null;
        var polls = c[(int)QueueSeries.EthtoolPolls];
        if (polls > 0)
        {
            saturation = Math.Clamp((polls - c[(int)QueueSeries.EthtoolArms]) / polls, 0, 1);
            sources |= FrameSources.Ethtool;
        }
        var slow = c[(int)QueueSeries.EthtoolSlowAllocs];
        if (slow > 0 && map > 0)
        {
            numa = Math.Clamp(1 - c[(int)QueueSeries.EthtoolWaived] / slow, 0, 1);
            sources |= FrameSources.Ethtool;
        }
        var (inv50, inv99) = flush > 0 ? DecadeHistogram.Quantiles(h.Slice((int)HostSeries.InvBucket0, 7)) : (null, null);
        if (inv50 is not null)
        {
            sources |= FrameSources.DmarLatency;
        }
        double? b50 = null, b95 = null, b99 = null, rxCv = null, txCv = null, napiVar = null, dma50 = null, dma99 = null, ring = null;
        if (_cover[i] > 0)
        {
            (dma50, dma99) = StallDmaLatency(c, _cover[i], h, ref sources);
            txCv = SendCadence(q, w);
        }
        if (t is not null)
        {
            sources |= FrameSources.Trace;
            (b50, b95, b99) = (t.FlushBurstQ50, t.FlushBurstQ95, t.FlushBurstQ99);
            // Per-ms cadence of the capture replaces the counters' 100 ms one; a traced DMA latency the stall model.
            (rxCv, txCv, napiVar) = (t.RxCadenceCv, t.TxCadenceCv ?? txCv, t.NapiPollVarianceUs2);
            if (t.DmaLatencyQ50Ns is not null)
            {
                (dma50, dma99) = (t.DmaLatencyQ50Ns, t.DmaLatencyQ99Ns);
            }
            ring = t.RingOscillation;
            saturation = t.NapiSaturationShare ?? saturation;
            if (t.InvLatencyQ50Ns is not null)
            {
                (inv50, inv99) = (t.InvLatencyQ50Ns, t.InvLatencyQ99Ns);
            }
        }
        return new HostFrame(_host, _device, q, start, _windowNs, flush, b50, b95, b99, map, unmap, miss, inv50, inv99,
            dma50, dma99, ring, napiVar, saturation, numa, rxCv, txCv, events);
    }
}
