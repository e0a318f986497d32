using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Core.Features.Counters;
using DmaSlip.Ingest;

namespace DmaSlip.Fleet.Agent;

/// <summary>One window of a replayed recording: its frames and the inputs that fed each (parallel lists).</summary>
internal sealed record RecordedWindow(long WindowStartNs, IReadOnlyList<HostFrame> Frames, IReadOnlyList<FrameSources> Sources);

/// <summary>
/// The frames of one host's recorded folder, window by window as the recording's time advances, through the path
/// <c>ingest → features</c> takes: ingest's parsers (<see cref="RecordingReader"/>: every file at once, merged in time
/// order, bounded queues) → <see cref="CounterStreams"/> → a streaming <see cref="CounterFrameBuilder"/>, and the trace
/// captures' frames (<see cref="HostFrameStreams"/>) for the windows a capture covers whole — the recipe of
/// <see cref="HostCounterFrames"/> that <c>dmaslip features</c> runs over stored rows, fed incrementally. The CPU → queue
/// map and the NIC come first from the small files (host config, <c>/proc/interrupts</c>). A window is emitted once every
/// counter stream still reporting has passed its end (streams silent for <see cref="MaxLagNs"/> are not waited for) and
/// no traced event can still fall in it. As <c>features</c> does, windows outside the per-CPU <c>perf stat</c> span are
/// left out when the recording has one. Memory is bounded by the files' queues and the lag, not by the recording.
/// </summary>
internal sealed class RecordingFrames(string hostDir, string host, HostFrameOptions options)
{
    private readonly string _host = host;
    private readonly HostFrameOptions _options = options;

    /// <summary>How long a counter stream may stay silent before windows stop waiting for it.</summary>
    public long MaxLagNs { get; init; } = 10 * Time.NanosPerSecond;

    /// <summary>Records and files not used, and why a recording has no frames.</summary>
    public List<string> Rejected { get; } = [];

    /// <summary>Counter inputs (or parts of them) that arrived for windows already emitted.</summary>
    public long LateInputs { get; private set; }

    public IEnumerable<RecordedWindow> Read()
    {
        var files = Directory.EnumerateFiles(hostDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var small = new List<string>();
        var streamed = new List<string>();
        foreach (var f in files)
        {
            string? format;
            try
            {
                format = Ingestor.Detect(f);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Rejected.Add($"{f}: cannot read: {ex.Message}");
                continue;
            }
            if (format is null)
            {
                Rejected.Add($"{f}: not a known format (see docs/INGEST.md)");
                continue;
            }
            (Formats.IsHostConfig(format) ? small : streamed).Add(f);
            if (format == Formats.Interrupts)
            {
                small.Add(f);
            }
        }
        var (queueOfCpu, device) = Layout(small);
        if (queueOfCpu.Count == 0)
        {
            Rejected.Add($"{hostDir}: no /proc/interrupts snapshot: per-CPU counts cannot be put on queues, no frames");
            yield break;
        }
        using var reader = new RecordingReader(streamed, _host);
        var run = new Run(this, reader, queueOfCpu, device);
        foreach (var w in run.Windows())
        {
            yield return w;
        }
        LateInputs = run.LateInputs;
        while (reader.Rejected.TryDequeue(out var r))
        {
            Rejected.Add(r);
        }
    }

    // CPU → queue from the latest affinity of each queue vector; the NIC from the host's config, else its vectors' device.
    // Only those facts are kept (a day of /proc/interrupts snapshots is not held).
    private (Dictionary<int, int> QueueOfCpu, string Device) Layout(List<string> small)
    {
        var sink = new LayoutSink(_host);
        foreach (var r in new Ingestor(sink, new IngestOptions { Host = _host }, TimeProvider.System).Ingest(small))
        {
            if (r.Error is not null && !r.Format.Equals(Formats.Interrupts, StringComparison.Ordinal))
            {
                Rejected.Add($"{r.Path}: {r.Error}");
            }
        }
        var queueOfCpu = HostCounterFrames.QueueOfCpu(sink.Affinity.Select(a => (a.Key, a.Value.Cpu)));
        var device = sink.Config?.Device ?? sink.Affinity.Values.Select(a => a.Device).Order(StringComparer.Ordinal).FirstOrDefault() ?? "nic";
        return (queueOfCpu, device);
    }

    private sealed class LayoutSink(string host) : IIngestSink
    {
        public Dictionary<string, (long Ts, double Cpu, string Device)> Affinity { get; } = new(StringComparer.Ordinal);

        public HostInfo? Config { get; private set; }

        public bool ContainsFile(string contentHash) => false;

        public void Atomically(Action work) => work();

        public void Add<T>(T row)
            where T : notnull
        {
            switch (row)
            {
                case HostCounter { Source: "irq_affinity" } c when !Affinity.TryGetValue(c.Name, out var had) || had.Ts <= c.TsNs:
                    Affinity[c.Name] = (c.TsNs, c.Value, c.Device);
                    break;
                case HostInfo h when h.Host == host && (Config is null || Config.ValidFromNs <= h.ValidFromNs):
                    Config = h;
                    break;
                default:
                    break;
            }
        }

        public long ImportParquet(string path, string table) => 0;
    }

    /// <summary>One pass over the merged rows.</summary>
    private sealed class Run
    {
        private readonly RecordingFrames _owner;
        private readonly RecordingReader _reader;
        private readonly Dictionary<int, int> _queueOfCpu;
        private readonly string _device;
        private readonly HostFrameStreams _trace;
        private readonly Dictionary<string, int> _captureOf = new(StringComparer.Ordinal);
        private readonly Dictionary<int, long> _openTraceLanes = [];
        private readonly List<RecordedWindow> _ready = [];
        private readonly List<HostFrame> _frames = [];
        private readonly List<FrameSources> _sources = [];
        private CounterFrameBuilder? _builder;
        private CounterStreams? _streams;
        private int _lane;
        private long _perfFirst = long.MinValue, _perfSecond = long.MinValue, _perfLast = long.MinValue;
        private long _nextCheck = long.MinValue;

        public Run(RecordingFrames owner, RecordingReader reader, Dictionary<int, int> queueOfCpu, string device)
        {
            _owner = owner;
            _reader = reader;
            _queueOfCpu = queueOfCpu;
            _device = device;
            _trace = new HostFrameStreams(new TraceSink(this), owner._options);
        }

        public long LateInputs => _builder?.LateInputs ?? 0;

        public IEnumerable<RecordedWindow> Windows()
        {
            foreach (var row in _reader.Read(i => _lane = i, LaneDone))
            {
                var ts = row is HostCounter c ? Counter(c) : Event((HostEventRow)row);
                if (ts >= _nextCheck && _builder is not null)
                {
                    _nextCheck = ts + _builder.WindowNs;
                    Advance(Watermark());
                }
                foreach (var w in _ready)
                {
                    yield return w;
                }
                _ready.Clear();
            }
            _trace.Flush();
            if (_builder is not null)
            {
                Advance(long.MaxValue);
            }
            foreach (var w in _ready)
            {
                yield return w;
            }
        }

        private long Counter(HostCounter c)
        {
            Builder(c.TsNs);
            _streams!.Observe(c);
            if (c.Source == "perf_stat" && c.Device.StartsWith("cpu", StringComparison.Ordinal))
            {
                if (_perfFirst == long.MinValue)
                {
                    _perfFirst = c.TsNs;
                }
                else if (_perfSecond == long.MinValue && c.TsNs > _perfFirst)
                {
                    _perfSecond = c.TsNs;
                }
                _perfLast = Math.Max(_perfLast, c.TsNs);
            }
            return c.TsNs;
        }

        private long Event(HostEventRow e)
        {
            Builder(e.TsNs);
            if (!_captureOf.TryGetValue(e.Source, out var capture))
            {
                capture = _builder!.Captures;
                _builder.AddCapture(e.TsNs, e.TsNs);
                _captureOf.Add(e.Source, capture);
            }
            else
            {
                _builder!.ExtendCapture(capture, e.TsNs);
            }
            _openTraceLanes[_lane] = e.TsNs;
            if (_queueOfCpu.TryGetValue(e.Cpu, out var q))
            {
                _trace.Observe(_owner._host, _device, new HostEvent(e.TsNs, e.Kind, q, e.Cpu, e.Size, e.Value, e.Aux));
            }
            return e.TsNs;
        }

        private void Builder(long firstTs)
        {
            if (_builder is not null)
            {
                return;
            }
            var windowNs = _owner._options.WindowNs;
            // Intervals reported later may start up to the lag before the first row: room for them.
            _builder = CounterFrameBuilder.Streaming(_owner._host, _device, _queueOfCpu.Values.Max() + 1, firstTs - (2 * _owner.MaxLagNs), windowNs,
                (int)Math.Max(64, 4 * _owner.MaxLagNs / windowNs));
            _builder.UsedInterrupts();
            _streams = new CounterStreams(_builder, _queueOfCpu);
        }

        private void LaneDone(int lane) => _openTraceLanes.Remove(lane);

        // Windows are complete up to: every counter stream still reporting has passed them, and no traced event can
        // still land in them (no file has an earlier row to give; a capture still being read has reached past them).
        private long Watermark()
        {
            var pending = _reader.PendingFromNs;
            var traced = pending;
            foreach (var last in _openTraceLanes.Values)
            {
                traced = Math.Min(traced, last);
            }
            _trace.CloseWindowsEndingBy(traced);
            var counted = _streams!.Watermark(pending == long.MaxValue ? long.MaxValue : pending - _owner.MaxLagNs);
            return Math.Min(traced, counted);
        }

        private void Advance(long watermarkNs)
        {
            _frames.Clear();
            _sources.Clear();
            _builder!.EmitBefore(watermarkNs, Keep);
            var from = 0;
            for (var i = 1; i <= _frames.Count; i++)
            {
                if (i == _frames.Count || _frames[i].WindowStartNs != _frames[from].WindowStartNs)
                {
                    _ready.Add(new RecordedWindow(_frames[from].WindowStartNs, _frames.GetRange(from, i - from), _sources.GetRange(from, i - from)));
                    from = i;
                }
            }
        }

        private void Keep(HostFrame f, FrameSources s)
        {
            // As features does: with per-CPU perf stat counts, frames only within their span [first − step, last].
            if (_perfFirst != long.MinValue)
            {
                var step = _perfSecond == long.MinValue ? _owner._options.WindowNs : _perfSecond - _perfFirst;
                if (f.WindowStartNs + f.WindowNs <= _perfFirst - step || f.WindowStartNs > _perfLast)
                {
                    return;
                }
            }
            _frames.Add(f);
            _sources.Add(s);
        }

        private sealed class TraceSink(Run run) : IHostFrameSink
        {
            public void OnFrame(HostFrame frame) => run._builder!.AddTraceFrame(frame, run._owner._options.SlotNs);
        }
    }
}
