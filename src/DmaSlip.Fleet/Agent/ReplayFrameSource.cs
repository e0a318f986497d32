using System.Globalization;
using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// Replays a host's recorded real-format telemetry (<c>DIR/hosts/&lt;host&gt;/</c>: <c>perf stat -I</c> per-CPU
/// tracepoint counts and IOMMU PMU events, <c>/proc/interrupts</c>, <c>ethtool -S</c>, <c>softnet_stat</c>,
/// <c>dmar_perf_latency</c> snapshots, trace captures) through the path <c>ingest → features</c> takes, streaming:
/// every file is parsed by ingest's parser as the replay advances and the frames are built incrementally by the
/// counter frame path <c>dmaslip features</c> runs (<see cref="RecordingFrames"/>), so memory does not grow with the
/// recording. Frames are emitted when their window closes, at the recording's pace divided by the speed. Records the
/// parsers quarantine and files that fail are listed in <see cref="Rejected"/> (file, offset, reason) as they are met.
/// </summary>
public sealed class ReplayFrameSource : IFrameSource
{
    private readonly string _hostDir;
    private readonly string _host;
    private readonly double _speed;
    private readonly TimeProvider _time;
    private readonly HostFrameOptions _options;
    private RecordingFrames? _run;

    public ReplayFrameSource(string dir, string host, double speed, TimeProvider time, HostFrameOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _speed = speed;
        _time = time;
        _host = host;
        _options = options ?? HostFrameOptions.Default;
        _hostDir = PathFor(dir, host);
        if (!Directory.Exists(_hostDir))
        {
            throw new DirectoryNotFoundException($"No recording to replay: '{_hostDir}' does not exist.");
        }
    }

    /// <summary>The folder of <paramref name="host"/>'s recorded files in a simulator/recording folder.</summary>
    public static string PathFor(string dir, string host) => System.IO.Path.Combine(dir, "hosts", host);

    /// <summary><c>replay-&lt;first window ns&gt;</c> once the first window is read (the same recording replays with the same ids).</summary>
    public string Boot { get; private set; } = "replay-empty";

    /// <summary>Windows replayed so far.</summary>
    public int Windows { get; private set; }

    /// <summary>Records and files not used so far (file, offset, reason), and why a recording gives no frames.</summary>
    public IReadOnlyList<string> Rejected => _run?.Rejected ?? [];

    public async IAsyncEnumerable<FrameWindow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        _run = new RecordingFrames(_hostDir, _host, _options);
        long t0 = long.MinValue;
        var started = _time.GetTimestamp();
        foreach (var w in _run.Read())
        {
            if (t0 == long.MinValue)
            {
                t0 = w.WindowStartNs;
                Boot = "replay-" + t0.ToString(CultureInfo.InvariantCulture);
            }
            // Frames are emitted when their window closes, as a live engine would.
            var due = TimeSpan.FromTicks((long)((w.WindowStartNs - t0 + _options.WindowNs) / 100 / _speed));
            var wait = due - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
            ct.ThrowIfCancellationRequested();
            Windows++;
            yield return new FrameWindow(w.WindowStartNs, w.Frames);
        }
    }

    /// <summary>
    /// All frames of one host's recorded folder (the replay's path without the pacing), in window order. A folder
    /// without a <c>/proc/interrupts</c> snapshot (no CPU → queue attribution) has no frames; the reason is in
    /// <paramref name="rejected"/>.
    /// </summary>
    public static List<HostFrame> Build(string hostDir, string host, HostFrameOptions options, List<string> rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var run = new RecordingFrames(hostDir, host, options);
        var frames = new List<HostFrame>();
        foreach (var w in run.Read())
        {
            frames.AddRange(w.Frames);
        }
        rejected.AddRange(run.Rejected);
        return frames;
    }
}
