using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

/// <summary>
/// Streaming host/DMA-path features (DESIGN §4.1) for one (host, device, queue) stream: events go in with
/// <see cref="Observe"/>, one <see cref="HostFrame"/> per window comes out to the sink. The same code serves batch
/// (stored events) and live (agent) use. Every event stands for <see cref="HostEvent.Count"/> identical events.
/// <para>
/// Hot path: no allocation per event after construction (fixed arrays and sketches, cleared per window); the only
/// allocation is the <see cref="HostFrame"/> of each closed window. Not thread-safe: one engine per stream.
/// </para>
/// <para>
/// Time: events must come in non-decreasing <see cref="HostEvent.TsNs"/> (small disorder inside the open window is
/// harmless). An event earlier than the open window is counted in <see cref="LateEvents"/> and dropped; an event
/// with Count ≤ 0 in <see cref="InvalidEvents"/>. Windows are aligned to multiples of WindowNs since the epoch; a
/// window in which no event arrived produces no frame.
/// </para>
/// </summary>
public sealed partial class HostFrameEngine
{
    private readonly IHostFrameSink _sink;
    private readonly HostFrameOptions _options;
    private readonly long _slotNs;
    private readonly long _windowNs;

    // Per-slot counts of the open window (weighted by Count).
    private readonly long[] _flushSlots;
    private readonly long[] _qiSlots;
    private readonly long[] _rxSlots;
    private readonly long[] _txSlots;
    private readonly double[] _scratch;

    private readonly LogSketch _invLatency;
    private readonly LogSketch _dmaLatency;
    private readonly UnitHistogram _occupancy;

    private long _windowStart;
    private long _windowEnd = long.MinValue;

    private long _events;
    private long _flushes;
    private long _qiSubmits;
    private long _maps;
    private long _unmaps;
    private long _rx;
    private long _tx;

    // NAPI: weighted Welford over poll duration (µs), saturation share over polls with a known budget.
    private long _napiTimed;
    private double _napiMeanUs;
    private double _napiM2;
    private long _napiBudgeted;
    private long _napiSaturated;

    private long _buffers;
    private long _localBuffers;

    public HostFrameEngine(string host, string device, int queue, IHostFrameSink sink, HostFrameOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(sink);
        _options = options ?? HostFrameOptions.Default;
        _options.Validate();
        Host = host;
        Device = device;
        Queue = queue;
        _sink = sink;
        _slotNs = _options.SlotNs;
        _windowNs = _options.WindowNs;
        var slots = _options.Slots;
        _flushSlots = new long[slots];
        _qiSlots = new long[slots];
        _rxSlots = new long[slots];
        _txSlots = new long[slots];
        _scratch = new double[slots];
        _invLatency = new LogSketch(_options.SketchRelativeAccuracy);
        _dmaLatency = new LogSketch(_options.SketchRelativeAccuracy);
        _occupancy = new UnitHistogram(_options.OccupancyBins);
    }

    public string Host { get; }

    public string Device { get; }

    public int Queue { get; }

    public HostFrameOptions Options => _options;

    /// <summary>Weighted count of events dropped because they were earlier than the open window.</summary>
    public long LateEvents { get; private set; }

    /// <summary>Events dropped because their Count was not positive.</summary>
    public long InvalidEvents { get; private set; }

    /// <summary>Frames emitted so far.</summary>
    public long FramesEmitted { get; private set; }

    /// <summary>Adds one (possibly aggregated) event. Closes the open window first when the event is past its end.</summary>
    public void Observe(in HostEvent e)
    {
        if (e.TsNs >= _windowEnd)
        {
            Advance(e.TsNs);
        }
        else if (e.TsNs < _windowStart)
        {
            LateEvents += e.Count > 0 ? e.Count : 0;
            return;
        }
        long count = e.Count;
        if (count <= 0)
        {
            InvalidEvents++;
            return;
        }
        _events += count;
        switch (e.Kind)
        {
            case HostEventKind.Flush:
                _flushes += count;
                _flushSlots[SlotOf(e.TsNs)] += count;
                break;
            case HostEventKind.QiSubmit:
                _qiSubmits += count;
                _qiSlots[SlotOf(e.TsNs)] += count;
                if (e.Value > 0)
                {
                    _invLatency.Add(e.Value, count);
                }
                break;
            case HostEventKind.Map:
                _maps += count;
                break;
            case HostEventKind.Unmap:
                _unmaps += count;
                break;
            case HostEventKind.DmaComplete:
                if (e.Value >= 0)
                {
                    _dmaLatency.Add(e.Value, count);
                }
                break;
            case HostEventKind.Rx:
                _rx += count;
                _rxSlots[SlotOf(e.TsNs)] += count;
                break;
            case HostEventKind.Tx:
                _tx += count;
                _txSlots[SlotOf(e.TsNs)] += count;
                break;
            case HostEventKind.NapiPoll:
                ObserveNapi(e, count);
                break;
            case HostEventKind.RingOccupancy:
                if (e.Aux > 0)
                {
                    _occupancy.Add(Math.Min(1.0, (double)e.Value / e.Aux), count);
                }
                break;
            case HostEventKind.BufferPlacement:
                _buffers += count;
                if (e.Value != 0)
                {
                    _localBuffers += count;
                }
                break;
            default:
                break;
        }
    }

    /// <summary>Closes the open window (end of stream). Safe to call repeatedly.</summary>
    public void Flush()
    {
        if (_events > 0)
        {
            CloseWindow();
        }
        ResetWindow();
    }

    /// <summary>
    /// Closes the open window if it ends at or before <paramref name="tsNs"/>: a caller that merges streams in time
    /// order knows no event before <paramref name="tsNs"/> is still to come, so the window is complete.
    /// </summary>
    public void CloseIfEndedBy(long tsNs)
    {
        if (_events > 0 && _windowEnd <= tsNs)
        {
            Flush();
        }
    }

    /// <summary>
    /// Closes the window that starts at <paramref name="windowStartNs"/> and emits its frame even when no event arrived
    /// in it: a live source that read its counters at both ends of the window and found them unchanged measured a quiet
    /// window (rates 0), which is not the same as a window nobody looked at. An open earlier window is closed first.
    /// </summary>
    public void CloseWindowAt(long windowStartNs)
    {
        var start = Time.FloorWindow(windowStartNs, _windowNs);
        if (_windowEnd != long.MinValue && _windowStart != start)
        {
            Flush();
        }
        _windowStart = start;
        _windowEnd = start + _windowNs;
        CloseWindow();
        ResetWindow();
    }

    private int SlotOf(long tsNs) => (int)((tsNs - _windowStart) / _slotNs);

    private void ObserveNapi(in HostEvent e, long count)
    {
        if (e.Size > 0)
        {
            // West's weighted incremental mean/variance: count identical polls of this duration.
            var x = e.Size / 1_000.0;
            var total = _napiTimed + count;
            var delta = x - _napiMeanUs;
            _napiMeanUs += delta * count / total;
            _napiM2 += delta * (x - _napiMeanUs) * count;
            _napiTimed = total;
        }
        if (e.Aux > 0)
        {
            _napiBudgeted += count;
            if (e.Value >= e.Aux)
            {
                _napiSaturated += count;
            }
        }
    }

    private void Advance(long tsNs)
    {
        if (_events > 0)
        {
            CloseWindow();
        }
        ResetWindow();
        _windowStart = Time.FloorWindow(tsNs, _windowNs);
        _windowEnd = _windowStart + _windowNs;
    }
}
