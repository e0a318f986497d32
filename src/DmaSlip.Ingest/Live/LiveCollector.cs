using DmaSlip.Core.Domain;
using DmaSlip.Core.Features.Counters;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// One closed window of live sampling: its frames (one per queue the counters covered) with the inputs that fed each
/// (<see cref="Sources"/>, parallel to <see cref="Frames"/>), and the counters read at the tick that closed it (on the
/// last window a tick closed; empty on earlier ones). The lists are the collector's own: valid until the next window.
/// </summary>
public sealed record LiveWindow(long WindowStartNs, long WindowNs, IReadOnlyList<HostCounter> Counters, IReadOnlyList<HostFrame> Frames, IReadOnlyList<FrameSources> Sources);

/// <summary>
/// Live sampling on a fixed cadence, as <c>collect</c> and <c>agent --source live</c> both run it, through the counter
/// path <c>features</c> runs on stored counters: the samplers are read at every multiple of the interval (wall clock)
/// into the records ingest would store (<see cref="LiveSampler"/>), those feed <see cref="CounterStreams"/> → one
/// streaming <see cref="CounterFrameBuilder"/> (queues from the first read's <c>irq_affinity</c>, the CPU → queue map
/// <c>features</c> uses), and each tick emits the windows that end by it. A column with no source is null in the frame
/// and the frame's <see cref="FrameSources"/> say what fed it. A read that comes a whole interval late (the process was
/// descheduled) is counted in <see cref="LateReads"/>; its deltas are shared among the windows they span, as for
/// stored counters with a gap.
/// </summary>
public sealed class LiveCollector
{
    private readonly LiveSampler _sampler;
    private readonly TimeProvider _time;
    private readonly List<HostCounter> _counters = [];
    private readonly List<LiveWindow> _closed = [];
    private readonly Action<HostFrame, FrameSources> _emit;
    private readonly List<HostFrame> _frames = [];
    private readonly List<FrameSources> _sources = [];
    private CounterFrameBuilder? _builder;
    private CounterStreams? _streams;
    private Func<HostCounter, bool>? _used;

    public LiveCollector(LiveSampler sampler, long intervalNs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalNs, 10 * Time.NanosPerMilli);
        _sampler = sampler;
        _time = time;
        IntervalNs = intervalNs;
        _emit = OnFrame;
    }

    public long IntervalNs { get; }

    /// <summary>
    /// Read only the samplers whose records feed frames (each judged from the second read on, at the first round it gives
    /// records): the agent's setting. <c>collect</c> stores every counter, so it keeps them all.
    /// </summary>
    public bool FrameInputsOnly { get; init; }

    /// <summary>Samplers no longer read because nothing of theirs feeds a frame (<see cref="FrameInputsOnly"/>).</summary>
    public IReadOnlyList<string> SamplersNotRead { get; private set; } = [];

    /// <summary>Reads that came one interval or more after the previous one (their deltas span several windows).</summary>
    public long LateReads { get; private set; }

    /// <summary>Windows closed so far (with at least one frame).</summary>
    public long Windows { get; private set; }

    /// <summary>Ticks read so far (the first one is the baseline the next deltas start from).</summary>
    public long Reads { get; private set; }

    /// <summary>Why this host gives no frames (no NIC queue vector in <c>/proc/interrupts</c>); null while it does.</summary>
    public string? NoFramesReason { get; private set; }

    /// <summary>The frame builder once the first read named the queues (null before, or without queue vectors).</summary>
    public CounterFrameBuilder? Builder => _builder;

    /// <summary>The counters of the last read (valid until the next).</summary>
    public IReadOnlyList<HostCounter> LastCounters => _counters;

    /// <summary>Counter rows read that no frame column uses (other sources, other CPUs).</summary>
    public long UnusedCounters => _streams?.Unused ?? 0;

    /// <summary>
    /// Samples until <paramref name="ct"/> fires, yielding each closed window. Blocks the calling thread between ticks
    /// (<see cref="NextTick"/>): the sampling loop owns its thread, so a tick costs one wake-up of it rather than a timer
    /// thread's and a thread-pool worker's.
    /// </summary>
    public IEnumerable<LiveWindow> Run(CancellationToken ct)
    {
        long previousTick = long.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var tick = NextTick(ct);
            if (tick == long.MinValue)
            {
                yield break;
            }
            var closed = Close(previousTick, tick);
            previousTick = tick;
            for (var i = 0; i < closed.Count; i++)
            {
                yield return closed[i];
            }
        }
    }

    /// <summary>
    /// Reads the samplers for the tick at <paramref name="tickNs"/> and returns the windows that end by it (usually
    /// the one [previous, tick); none at the first read; the list is reused by the next call).
    /// </summary>
    public IReadOnlyList<LiveWindow> Close(long previousTickNs, long tickNs)
    {
        _closed.Clear();
        _counters.Clear();
        _sampler.Sample(tickNs, _counters);
        Reads++;
        if (previousTickNs != long.MinValue && tickNs - previousTickNs > IntervalNs)
        {
            LateReads++;
        }
        if (_builder is null && !Start(tickNs))
        {
            return _closed;
        }
        for (var i = 0; i < _counters.Count; i++)
        {
            _streams!.Observe(_counters[i]);
        }
        if (FrameInputsOnly && Reads >= 2 && _sampler.UndecidedSamplers > 0)
        {
            var dropped = _sampler.KeepOnlyUsed(_counters, _used ??= c => c.Source == "irq_affinity" || _streams!.Uses(c));
            SamplersNotRead = dropped.Count == 0 ? SamplersNotRead : [.. SamplersNotRead, .. dropped];
        }
        _frames.Clear();
        _sources.Clear();
        _builder!.EmitBefore(tickNs, _emit);
        SplitWindows();
        return _closed;
    }

    // The first read: the queues (CPU → queue from the vectors' affinity) and the NIC they belong to.
    private bool Start(long tickNs)
    {
        var affinity = new List<(string Name, double Cpu)>();
        string? device = null;
        foreach (var c in _counters)
        {
            if (c.Source == "irq_affinity")
            {
                affinity.Add((c.Name, c.Value));
                device = device is null || string.CompareOrdinal(c.Device, device) < 0 ? c.Device : device;
            }
        }
        var queueOfCpu = HostCounterFrames.QueueOfCpu(affinity);
        if (queueOfCpu.Count == 0 || device is null)
        {
            NoFramesReason = "no NIC queue vector has fired in /proc/interrupts: counts cannot be put on queues, no frames";
            return false;
        }
        NoFramesReason = null;
        _builder = CounterFrameBuilder.Streaming(_sampler.Host, device, queueOfCpu.Values.Max() + 1, tickNs, IntervalNs);
        _builder.UsedInterrupts();
        _streams = new CounterStreams(_builder, queueOfCpu, IntervalNs);
        return true;
    }

    private void OnFrame(HostFrame frame, FrameSources sources)
    {
        _frames.Add(frame);
        _sources.Add(sources);
    }

    // The emitted frames as windows: usually one per tick (the collector's own lists, no copy); a late read closes
    // several, each with its own slice.
    private void SplitWindows()
    {
        if (_frames.Count == 0)
        {
            return;
        }
        if (_frames[0].WindowStartNs == _frames[^1].WindowStartNs)
        {
            _closed.Add(new LiveWindow(_frames[0].WindowStartNs, IntervalNs, _counters, _frames, _sources));
            Windows++;
            return;
        }
        var from = 0;
        for (var i = 1; i <= _frames.Count; i++)
        {
            if (i == _frames.Count || _frames[i].WindowStartNs != _frames[from].WindowStartNs)
            {
                _closed.Add(new LiveWindow(_frames[from].WindowStartNs, IntervalNs, i == _frames.Count ? _counters : [],
                    _frames.GetRange(from, i - from), _sources.GetRange(from, i - from)));
                Windows++;
                from = i;
            }
        }
    }

    /// <summary>
    /// Blocks until the next multiple of the interval on the wall clock and returns it; long.MinValue when cancelled.
    /// The wait is on the token's handle, so cancelling ends it at once.
    /// </summary>
    public long NextTick(CancellationToken ct)
    {
        var now = NowNs();
        var tick = Time.FloorWindow(now, IntervalNs) + IntervalNs;
        // whole milliseconds, rounded up: waking a fraction early would read the counters before the tick
        var waitMs = (int)Math.Min(int.MaxValue, (tick - now + Time.NanosPerMilli - 1) / Time.NanosPerMilli);
        if (ct.WaitHandle.WaitOne(waitMs) || ct.IsCancellationRequested)
        {
            return long.MinValue;
        }
        // Woken a whole interval late: report the tick we are really at.
        var after = NowNs();
        return after - tick >= IntervalNs ? Time.FloorWindow(after, IntervalNs) : tick;
    }

    private long NowNs() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
