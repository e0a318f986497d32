using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Ingest.Live;

/// <summary>One closed window of live sampling: the counters read at its end, the events of their deltas, and its frames.</summary>
public sealed record LiveWindow(long WindowStartNs, long WindowNs, IReadOnlyList<HostCounter> Counters, IReadOnlyList<LiveEvent> Events, IReadOnlyList<HostFrame> Frames);

/// <summary>
/// Live sampling on a fixed cadence, as <c>collect</c> and <c>agent --source live</c> both run it: the samplers are read
/// at every multiple of the interval (wall clock), the counter deltas between two consecutive reads become the events
/// of the window between them (stamped at its start), and one <see cref="HostFrameEngine"/> per (device, queue) turns
/// them into that window's frames — the feature engine <c>features</c> uses. A stream sampled at both ends of a window
/// gets a frame even when nothing changed (a measured quiet window). A read that comes a whole interval late (the
/// process was descheduled) closes no window — its deltas span more than one — and is counted in <see cref="MissedWindows"/>.
/// </summary>
public sealed class LiveCollector
{
    private readonly LiveSampler _sampler;
    private readonly TimeProvider _time;
    private readonly HostFrameOptions _options;
    private readonly Dictionary<(string Device, int Queue), HostFrameEngine> _engines = [];
    private readonly FrameList _frames = new();

    public LiveCollector(LiveSampler sampler, long intervalNs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalNs, 10 * Time.NanosPerMilli);
        _sampler = sampler;
        _time = time;
        IntervalNs = intervalNs;
        _options = new HostFrameOptions { WindowNs = intervalNs, SlotNs = intervalNs / 100 };
        _options.Validate();
    }

    public long IntervalNs { get; }

    public long MissedWindows { get; private set; }

    /// <summary>Windows closed so far.</summary>
    public long Windows { get; private set; }

    /// <summary>Samples until <paramref name="ct"/> fires, yielding each closed window.</summary>
    public async IAsyncEnumerable<LiveWindow> RunAsync([EnumeratorCancellation] CancellationToken ct)
    {
        long previousTick = long.MinValue;
        while (!ct.IsCancellationRequested)
        {
            var tick = await WaitForNextTick(ct).ConfigureAwait(false);
            if (tick == long.MinValue)
            {
                yield break;
            }
            var window = Close(previousTick, tick);
            previousTick = tick;
            if (window is not null)
            {
                yield return window;
            }
        }
    }

    /// <summary>Reads the samplers for the tick at <paramref name="tickNs"/>; the window [previous, tick) when it is exactly one interval.</summary>
    internal LiveWindow? Close(long previousTickNs, long tickNs)
    {
        var whole = previousTickNs != long.MinValue && tickNs - previousTickNs == IntervalNs;
        var sample = _sampler.Sample(tickNs, whole ? previousTickNs : tickNs);
        if (previousTickNs == long.MinValue)
        {
            return null; // the first read is the baseline
        }
        if (!whole)
        {
            MissedWindows++;
            return null;
        }
        _frames.Items.Clear();
        foreach (var e in sample.Events)
        {
            Engine(e.Device, e.Event.Queue).Observe(e.Event);
        }
        foreach (var (device, queue) in sample.Streams.OrderBy(s => s.Device, StringComparer.Ordinal).ThenBy(s => s.Queue))
        {
            Engine(device, queue).CloseWindowAt(previousTickNs);
        }
        Windows++;
        return new LiveWindow(previousTickNs, IntervalNs, sample.Counters, sample.Events, _frames.Items.ToArray());
    }

    private HostFrameEngine Engine(string device, int queue)
    {
        if (!_engines.TryGetValue((device, queue), out var engine))
        {
            engine = new HostFrameEngine(_sampler.Host, device, queue, _frames, _options);
            _engines.Add((device, queue), engine);
        }
        return engine;
    }

    // The next multiple of the interval on the wall clock; long.MinValue when cancelled.
    private async Task<long> WaitForNextTick(CancellationToken ct)
    {
        var now = NowNs();
        var tick = Time.FloorWindow(now, IntervalNs) + IntervalNs;
        try
        {
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, (tick - now) / 100)), _time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return long.MinValue;
        }
        // Woken a whole interval late: report the tick we are really at, so the window in between is not invented.
        var after = NowNs();
        return after - tick >= IntervalNs ? Time.FloorWindow(after, IntervalNs) : tick;
    }

    private long NowNs() => (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;

    private sealed class FrameList : IHostFrameSink
    {
        public List<HostFrame> Items { get; } = [];

        public void OnFrame(HostFrame frame) => Items.Add(frame);
    }
}
