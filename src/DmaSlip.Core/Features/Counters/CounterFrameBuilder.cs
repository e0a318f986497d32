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

    /// <summary>The queue's interrupt vector count (<c>/proc/interrupts</c>): the window was looked at, nothing about invalidations.</summary>
    Interrupts,
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
/// collector's interval equals and is aligned with the window, as <c>perf stat -I 100</c> is). A frame exists where
/// the per-queue qi_submit counts cover part of the window (rates divide by the covered time); a host without
/// tracepoint counts (a VM, a kernel without tracefs) has a frame where another per-queue count (the queue's interrupt
/// vector, ethtool per-ring deltas) covers it, with null flush, map and unmap rates — a window nobody counted
/// invalidations in is not a window without them.
/// Windows a trace capture covers entirely take the columns only per-event timing gives (burst quantiles, cadence)
/// from the trace frame.
/// <para>
/// Two ways to drive it, one recipe: over a fixed span (<c>features</c> on stored counters: every window of the span
/// allocated once, <see cref="Emit"/> at the end) or incrementally (<see cref="Streaming"/>: the live agent and the
/// replay of a recording, whose inputs arrive in time order; a ring of windows that grows only while inputs run ahead
/// of <see cref="EmitBefore"/>'s watermark, so memory is bounded by the lag, not by the span; the last
/// <see cref="CounterJitter.CadenceSpan"/> − 1 emitted windows stay for the send cadence). Memory: 12 doubles per
/// (queue, window) and 10 per window held.
/// </para>
/// </summary>
public sealed partial class CounterFrameBuilder
{
    private const int QK = 11;
    private const int HK = 10;     // IOTLB lookup, hit, 7 dmar buckets, ns covered by dmar deltas
    private readonly string _host, _device;
    private readonly int _queues;
    private readonly long _origin, _windowNs;
    private readonly long _limit;      // absolute window index past the last one (fixed span), long.MaxValue streaming
    private int _capacity;             // windows held
    private long _base;                // absolute index of the oldest window not yet emitted
    private long _retained;            // absolute index of the oldest window held (emitted ones kept for the cadence)
    private long _high;                // absolute index past the newest window an input touched
    private double[] _q;               // [(q * C + slot) * QK + series]
    private double[] _cover;           // ns of (q, slot) covered by qi_submit counts
    private FrameSources[] _seen;      // per-queue inputs that covered (q, slot)
    private double[] _h;               // [slot * HK + series]
    private HostFrame?[] _trace;
    private readonly List<(long Start, long End)> _captures = [];
    private FrameSources _hostSources;

    public CounterFrameBuilder(string host, string device, int queues, long fromNs, long toNs, long windowNs)
        : this(host, device, queues, windowNs, Floor(fromNs, windowNs), -1)
    {
        if (toNs <= fromNs)
        {
            throw new ArgumentException("need toNs > fromNs");
        }
        _limit = (toNs - _origin + windowNs - 1) / windowNs;
        Allocate((int)_limit);
    }

    private CounterFrameBuilder(string host, string device, int queues, long windowNs, long origin, int capacity)
    {
        if (queues < 1 || windowNs <= 0)
        {
            throw new ArgumentException("need ≥ 1 queue and a positive window");
        }
        _host = host;
        _device = device;
        _queues = queues;
        _windowNs = windowNs;
        _origin = origin;
        _limit = long.MaxValue;
        _q = _cover = _h = [];
        _seen = [];
        _trace = [];
        if (capacity > 0)
        {
            Allocate(capacity);
        }
    }

    /// <summary>
    /// A builder fed in time order and emitted with <see cref="EmitBefore"/>: windows start at
    /// <paramref name="originNs"/> (floored to the window; inputs before it are late), <paramref name="capacityWindows"/>
    /// windows are held at first (the ring doubles when inputs run further ahead of the watermark).
    /// </summary>
    public static CounterFrameBuilder Streaming(string host, string device, int queues, long originNs, long windowNs, int capacityWindows = 64) =>
        new(host, device, queues, windowNs, Floor(originNs, windowNs), Math.Max(2, capacityWindows));

    private static long Floor(long ns, long windowNs)
    {
        var origin = (long)Math.Floor(ns / (double)windowNs) * windowNs;
        while (origin > ns)
        {
            origin -= windowNs;
        }
        return origin;
    }

    private void Allocate(int capacity)
    {
        _capacity = capacity;
        var qw = _queues * capacity;
        _q = new double[qw * QK];
        _cover = new double[qw];
        _seen = new FrameSources[qw];
        _h = new double[capacity * HK];
        _trace = new HostFrame?[qw];
    }

    public string Host => _host;

    public string Device => _device;

    public int Queues => _queues;

    public long WindowNs => _windowNs;

    /// <summary>Windows the ring holds now (streaming) or the span's windows.</summary>
    public int Capacity => _capacity;

    /// <summary>Inputs the host had at all (each frame's mask says which covered its window).</summary>
    public FrameSources HostSources => _hostSources;

    /// <summary>Inputs (or the parts of them) that fell in windows already emitted, dropped.</summary>
    public long LateInputs { get; private set; }

    /// <summary>Adds <paramref name="count"/> of a per-queue series over [start, end).</summary>
    public void AddQueue(QueueSeries series, int queue, long startNs, long endNs, double count)
    {
        if ((uint)queue >= (uint)_queues || count < 0 || endNs <= startNs)
        {
            return;
        }
        var source = series switch
        {
            <= QueueSeries.Tx => FrameSources.TracepointCounts,
            QueueSeries.Interrupts => FrameSources.Interrupts,
            _ => FrameSources.Ethtool,
        };
        _hostSources |= source;
        var len = (double)(endNs - startNs);
        if (!Range(startNs, endNs, out var w0, out var w1))
        {
            return;
        }
        for (var w = w0; w <= w1; w++)
        {
            var ws = _origin + (w * _windowNs);
            var overlap = Math.Min(endNs, ws + _windowNs) - Math.Max(startNs, ws);
            if (overlap <= 0)
            {
                continue;
            }
            var i = (queue * _capacity) + Slot(w);
            _q[(i * QK) + (int)series] += count * overlap / len;
            _seen[i] |= source;
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
        if (!Range(startNs, endNs, out var w0, out var w1))
        {
            return;
        }
        for (var w = w0; w <= w1; w++)
        {
            var ws = _origin + (w * _windowNs);
            var overlap = Math.Min(endNs, ws + _windowNs) - Math.Max(startNs, ws);
            if (overlap > 0)
            {
                _h[(Slot(w) * HK) + s] += count * overlap / len;
                if (s >= (int)HostSeries.InvBucket0)
                {
                    _h[(Slot(w) * HK) + DmarCoverSlot] += overlap / 7.0; // a snapshot delta has 7 buckets: > 0 = the window was read
                }
            }
        }
    }

    /// <summary>Marks that the per-CPU counts reached queues through /proc/interrupts affinity.</summary>
    public void UsedInterrupts() => _hostSources |= FrameSources.Interrupts;

    /// <summary>A trace capture's span: windows inside it may take trace columns.</summary>
    public void AddCapture(long startNs, long endNs) => _captures.Add((startNs, endNs));

    /// <summary>Moves the end of capture <paramref name="index"/> (a capture still being read: its end so far).</summary>
    public void ExtendCapture(int index, long endNs) => _captures[index] = (_captures[index].Start, Math.Max(_captures[index].End, endNs));

    /// <summary>Captures added so far.</summary>
    public int Captures => _captures.Count;

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
        var w = Math.DivRem(f.WindowStartNs - _origin, _windowNs, out var rem);
        if (!covered || rem != 0 || !Range(f.WindowStartNs, f.WindowStartNs + f.WindowNs, out var w0, out _) || w0 != w)
        {
            return false;
        }
        _trace[(f.Queue * _capacity) + Slot(w)] = f;
        _hostSources |= FrameSources.Trace;
        return true;
    }

    private int Slot(long w) => (int)(w % _capacity);

    // Absolute windows [w0, w1] of [start, end) that are held (grows the ring when a streaming input runs ahead).
    private bool Range(long startNs, long endNs, out long w0, out long w1)
    {
        w0 = Math.Max(0, (startNs - _origin) / _windowNs);
        w1 = Math.Min(_limit - 1, (endNs - 1 - _origin) / _windowNs);
        if (endNs - 1 < _origin)
        {
            w1 = -1;
        }
        if (w0 < _base)
        {
            if (_base > 0)
            {
                LateInputs++;
            }
            w0 = _base;
        }
        if (w1 < w0)
        {
            return false;
        }
        if (w1 - _retained >= _capacity)
        {
            Grow(w1 - _retained + 1);
        }
        _high = Math.Max(_high, w1 + 1);
        return true;
    }

    private void Grow(long needed)
    {
        var capacity = _capacity;
        while (capacity < needed)
        {
            capacity *= 2;
        }
        var (q, cover, seen, h, trace, old) = (_q, _cover, _seen, _h, _trace, _capacity);
        Allocate(checked((int)capacity));
        for (var w = _retained; w < _retained + old; w++)
        {
            var from = (int)(w % old);
            var to = Slot(w);
            for (var k = 0; k < _queues; k++)
            {
                var (i, j) = ((k * old) + from, (k * _capacity) + to);
                Array.Copy(q, i * QK, _q, j * QK, QK);
                (_cover[j], _seen[j], _trace[j]) = (cover[i], seen[i], trace[i]);
            }
            Array.Copy(h, from * HK, _h, to * HK, HK);
        }
    }

    /// <summary>Emits every frame held, window by window (queues in order), with the sources that fed it; returns the count.</summary>
    public long Emit(Action<HostFrame, FrameSources> emit) => EmitBefore(long.MaxValue, emit);

    /// <summary>
    /// Emits the frames of the windows that end at or before <paramref name="watermarkNs"/>, oldest first (queues in
    /// order within a window), and frees them: a later input for one of them is late (<see cref="LateInputs"/>).
    /// Returns the frames emitted.
    /// </summary>
    public long EmitBefore(long watermarkNs, Action<HostFrame, FrameSources> emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        long n = 0;
        while (_base < _high && (watermarkNs == long.MaxValue || _origin + ((_base + 1) * _windowNs) <= watermarkNs))
        {
            var slot = Slot(_base);
            for (var q = 0; q < _queues; q++)
            {
                var i = (q * _capacity) + slot;
                // With tracepoint counts, frames are the windows they cover (as features has always built them);
                // without, the windows some per-queue count (the queue's vector, ethtool rings) covers.
                var counted = (_hostSources & FrameSources.TracepointCounts) != 0 ? _cover[i] > 0 : _seen[i] != FrameSources.None;
                if (counted || _trace[i] is not null)
                {
                    emit(Build(q, _base, i, slot, out var sources), sources);
                    n++;
                }
            }
            _base++;
            // Emitted windows stay while a later window's send cadence may read them.
            while (_base - _retained >= CounterJitter.CadenceSpan)
            {
                Clear(Slot(_retained++));
            }
        }
        return n;
    }

    private void Clear(int slot)
    {
        for (var q = 0; q < _queues; q++)
        {
            var i = (q * _capacity) + slot;
            _q.AsSpan(i * QK, QK).Clear();
            (_cover[i], _seen[i], _trace[i]) = (0, FrameSources.None, null);
        }
        _h.AsSpan(slot * HK, HK).Clear();
    }

    private HostFrame Build(int q, long w, int i, int slot, out FrameSources sources)
    {
        sources = FrameSources.None;
        var t = _trace[i];
        var start = _origin + (w * _windowNs);
        var c = _q.AsSpan(i * QK, QK);
        double? flush, map, unmap;
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
        else if (t is not null)
        {
            (flush, map, unmap, events) = (t.FlushRate, t.MapRate, t.UnmapRate, t.Events);
        }
        else
        {
            // Counted, but not by an invalidation source (a queue's interrupt vector, ethtool rings): no rates.
            (flush, map, unmap) = (null, null, null);
            events = (long)Math.Round(c[(int)QueueSeries.Interrupts]);
            sources |= _seen[i] & FrameSources.Interrupts;
        }
        var h = _h.AsSpan(slot * HK, HK);
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
        if (slow > 0 && map is > 0)
        {
            numa = Math.Clamp(1 - c[(int)QueueSeries.EthtoolWaived] / slow, 0, 1);
            sources |= FrameSources.Ethtool;
        }
        var (inv50, inv99) = flush is > 0 ? DecadeHistogram.Quantiles(h.Slice((int)HostSeries.InvBucket0, 7)) : (null, null);
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
