using System.Globalization;
using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;
using nietras.SeparatedValues;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// Replays a host's recorded or simulated frames (<c>hosts/&lt;host&gt;/frames.csv</c>, the canonical
/// <c>host_frames</c> CSV: a header of the table's column names, empty = null) at the recording's pace divided by
/// <paramref name="speed"/>. Rows that do not parse are skipped and reported in <see cref="Rejected"/> with their line.
/// </summary>
public sealed class ReplayFrameSource : IFrameSource
{
    private readonly List<FrameWindow> _windows;
    private readonly double _speed;
    private readonly TimeProvider _time;

    public ReplayFrameSource(string path, string host, double speed, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _speed = speed;
        _time = time;
        var frames = Read(path, host, Rejected);
        _windows = frames.GroupBy(f => f.WindowStartNs)
            .OrderBy(g => g.Key)
            .Select(g => new FrameWindow(g.Key, g.OrderBy(f => f.Device, StringComparer.Ordinal).ThenBy(f => f.Queue).ToArray()))
            .ToList();
        Boot = _windows.Count == 0 ? "replay-empty" : "replay-" + _windows[0].WindowStartNs.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The frames.csv of <paramref name="host"/> in a simulator/recording folder.</summary>
    public static string PathFor(string dir, string host) => System.IO.Path.Combine(dir, "hosts", host, "frames.csv");

    public string Boot { get; }

    public int Windows => _windows.Count;

    public List<string> Rejected { get; } = [];

    public async IAsyncEnumerable<FrameWindow> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (_windows.Count == 0)
        {
            yield break;
        }
        var t0 = _windows[0].WindowStartNs;
        var started = _time.GetTimestamp();
        foreach (var w in _windows)
        {
            // Frames are emitted when their window closes, as a live engine would.
            var due = TimeSpan.FromTicks((long)((w.WindowStartNs - t0 + w.Frames[0].WindowNs) / 100 / _speed));
            var wait = due - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
            ct.ThrowIfCancellationRequested();
            yield return w;
        }
    }

    private static List<HostFrame> Read(string path, string host, List<string> rejected)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No frames to replay: '{path}' does not exist.", path);
        }
        var frames = new List<HostFrame>();
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
        foreach (var column in Columns)
        {
            if (!reader.Header.ColNames.Contains(column))
            {
                throw new InvalidDataException($"'{path}' has no {column} column: not a host_frames CSV.");
            }
        }
        foreach (var row in reader)
        {
            try
            {
                var h = row["host"].ToString();
                if (!string.Equals(h, host, StringComparison.Ordinal))
                {
                    rejected.Add($"line {row.LineNumberFrom}: host '{h}' in the file of host '{host}'");
                    continue;
                }
                frames.Add(new HostFrame(
                    h, row["device"].ToString(), I32(row["queue"]), I64(row["window_start_ns"]), I64(row["window_ns"]),
                    F(row["flush_rate"]), F(row["flush_burst_q50"]), F(row["flush_burst_q95"]), F(row["flush_burst_q99"]),
                    F(row["map_rate"]), F(row["unmap_rate"]), N(row["iotlb_miss_ratio"]),
                    N(row["inv_latency_q50_ns"]), N(row["inv_latency_q99_ns"]), N(row["dma_latency_q50_ns"]), N(row["dma_latency_q99_ns"]),
                    N(row["ring_oscillation"]), N(row["napi_poll_variance_us2"]), N(row["napi_saturation_share"]), N(row["numa_local_share"]),
                    N(row["rx_cadence_cv"]), N(row["tx_cadence_cv"]), I64(row["events"])));
            }
            catch (FormatException ex)
            {
                rejected.Add($"line {row.LineNumberFrom}: {ex.Message}");
            }
        }
        return frames;
    }

    private static readonly string[] Columns =
    [
        "host", "device", "queue", "window_start_ns", "window_ns", "flush_rate", "flush_burst_q50", "flush_burst_q95",
        "flush_burst_q99", "map_rate", "unmap_rate", "iotlb_miss_ratio", "inv_latency_q50_ns", "inv_latency_q99_ns",
        "dma_latency_q50_ns", "dma_latency_q99_ns", "ring_oscillation", "napi_poll_variance_us2", "napi_saturation_share",
        "numa_local_share", "rx_cadence_cv", "tx_cadence_cv", "events",
    ];

    private static int I32(SepReader.Col c) => int.Parse(c.Span, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static long I64(SepReader.Col c) => long.Parse(c.Span, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static double F(SepReader.Col c) => double.Parse(c.Span, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static double? N(SepReader.Col c) => c.Span.IsEmpty ? null : F(c);
}
