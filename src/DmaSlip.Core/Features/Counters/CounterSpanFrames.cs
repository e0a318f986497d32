using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// The frames of one host's stored day, streamed: <c>features</c> reads the host's counters in time order a slice at
/// a time (<see cref="Observe"/> every row of the slice, then <see cref="Advance"/> to the slice's end) and each window
/// is emitted once every counter stream still reporting has passed it. The same recipe as <see cref="HostCounterFrames"/>
/// (a streaming <see cref="CounterFrameBuilder"/> from the first per-CPU <c>perf stat</c> interval's start, frames only
/// up to the last per-CPU row, the trace captures' frames for the windows they cover whole), so memory is bounded by a
/// slice and the lag, not by the day: a fixed-span builder of a 390-minute, 4-queue host holds ≈ 110 MB, this one a
/// few MB. The trace frames are computed first (captures are short) and handed to the builder as the slices reach them.
/// </summary>
public sealed class CounterSpanFrames
{
    private readonly CounterFrameBuilder _builder;
    private readonly CounterStreams _streams;
    private readonly IReadOnlyList<HostFrame> _traceFrames;
    private readonly long _lastNs, _slotNs;
    private readonly Action<HostFrame, FrameSources> _emit;
    private int _nextTrace;

    /// <param name="firstNs">The first per-CPU <c>perf stat</c> row's time.</param>
    /// <param name="stepNs">The collector's interval (the first spacing of those rows).</param>
    /// <param name="lastNs">The last per-CPU <c>perf stat</c> row's time: no frame starts after it.</param>
    /// <param name="captures">The trace captures' spans (first and last traced event).</param>
    /// <param name="traceFrames">The captures' frames (<see cref="HostCounterFrames.TraceFrames"/>), in window order.</param>
    /// <param name="emit">Receives each frame and the inputs that fed it, window by window.</param>
    public CounterSpanFrames(string host, string device, IReadOnlyDictionary<int, int> queueOfCpu, long firstNs, long stepNs, long lastNs,
        HostFrameOptions options, IEnumerable<(long StartNs, long EndNs)> captures, IReadOnlyList<HostFrame> traceFrames, Action<HostFrame, FrameSources> emit)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(captures);
        ArgumentNullException.ThrowIfNull(traceFrames);
        _builder = CounterFrameBuilder.Streaming(host, device, queueOfCpu.Values.Max() + 1, firstNs - stepNs, options.WindowNs,
            (int)Math.Max(64, 4 * MaxLagNs / options.WindowNs));
        _builder.DmaBaseNs = options.DmaBaseNs;
        _builder.CadenceSlotNs = options.SlotNs;
        _builder.UsedInterrupts();
        _streams = new CounterStreams(_builder, queueOfCpu);
        foreach (var (start, end) in captures)
        {
            _builder.AddCapture(start, end);
        }
        _traceFrames = traceFrames;
        _lastNs = lastNs;
        _slotNs = options.SlotNs;
        _emit = emit;
    }

    /// <summary>How long a counter stream may stay silent before windows stop waiting for it (a stream that ended).</summary>
    public static long MaxLagNs => 10 * Time.NanosPerSecond;

    /// <summary>Rows that fed the builder.</summary>
    public long Used => _streams.Used;

    /// <summary>Rows of series no frame column uses, or of CPUs that serve no queue.</summary>
    public long Unused => _streams.Unused;

    /// <summary>Trace frames taken (their window lies inside one capture).</summary>
    public long TraceFramesKept { get; private set; }

    /// <summary>Counter inputs (or parts of them) for windows already emitted: a stream silent for more than <see cref="MaxLagNs"/> that came back.</summary>
    public long LateInputs => _builder.LateInputs;

    /// <summary>Frames emitted so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Counter rows after a stream's silence of more than <see cref="CounterStreams.RestartGapNs"/> (a restarted collector).</summary>
    public long Restarts => _streams.Restarts;

    /// <summary>Windows the builder holds now (bounded by a slice and the lag).</summary>
    public int HeldWindows => _builder.Capacity;

    /// <summary>One stored counter row of the host (rows in time order, any interleaving of streams).</summary>
    public void Observe(HostCounter c) => _streams.Observe(c);

    /// <summary>Every row before <paramref name="readToNs"/> has been observed: emits the windows that are complete.</summary>
    public void Advance(long readToNs)
    {
        Traces(readToNs);
        var watermark = _streams.Watermark(readToNs - MaxLagNs);
        if (watermark != long.MinValue)
        {
            _builder.EmitBefore(Math.Min(watermark, readToNs), Keep);
        }
    }

    /// <summary>Every row has been observed: emits the rest.</summary>
    public void Finish()
    {
        Traces(long.MaxValue);
        _builder.Emit(Keep);
    }

    // Trace frames of windows that start before the slice's end: every window emitted later or now has its trace frame.
    private void Traces(long beforeNs)
    {
        while (_nextTrace < _traceFrames.Count && _traceFrames[_nextTrace].WindowStartNs < beforeNs)
        {
            if (_builder.AddTraceFrame(_traceFrames[_nextTrace++], _slotNs))
            {
                TraceFramesKept++;
            }
        }
    }

    private void Keep(HostFrame f, FrameSources s)
    {
        // As over a fixed span: no frame past the last per-CPU interval.
        if (f.WindowStartNs <= _lastNs)
        {
            Frames++;
            _emit(f, s);
        }
    }
}
