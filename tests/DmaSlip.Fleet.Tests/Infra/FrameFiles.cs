using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Fleet.Agent;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>
/// A host's frames and recordings for fleet tests: 100 ms windows, 8 queues,
/// calm flush rates with mild deterministic noise, and a flush storm (10× flush rate and bursts) from window
/// <c>stormFrom</c> on.
/// </summary>
internal static class FrameFiles
{
    public const long WindowNs = 100 * Time.NanosPerMilli;
    public const int Queues = 8;
    public const long StartNs = RecordingFiles.StartSeconds * Time.NanosPerSecond;

    public static IReadOnlyList<HostFrame> Frames(string host, int windows, int stormFrom)
    {
        var frames = new List<HostFrame>(windows * Queues);
        for (var w = 0; w < windows; w++)
        {
            var storm = w >= stormFrom;
            for (var q = 0; q < Queues; q++)
            {
                var noise = 1 + (0.05 * Math.Sin((w * 7) + q));
                var flush = (storm ? 12_000 : 1_000) * noise;
                frames.Add(new HostFrame(host, "eth0", q, StartNs + (w * WindowNs), WindowNs, flush, storm ? 40 : 3, (storm ? 120 : 8) * noise,
                    storm ? 200 : 12, 50_000 * noise, 49_800 * noise, q % 2 == 0 ? 0.01 : null, 900, storm ? 9_000 : 1_500, 2_000,
                    storm ? 30_000 : 4_000, 0.1, 4.5, 0.02, 0.97, 0.2, 0.15, 100_000 + w));
            }
        }
        return frames;
    }

    /// <summary>
    /// Writes DIR/hosts/HOST/ as a collector records it (per-CPU <c>perf stat -I 100</c> tracepoint counts and a
    /// <c>/proc/interrupts</c> snapshot; the same calm/storm flush and map counts as <see cref="Frames"/>) and returns
    /// the frames the replay source builds from it (ingest's parsers → the counter frame path).
    /// </summary>
    public static IReadOnlyList<HostFrame> Write(string dir, string host, int windows, int stormFrom)
    {
        var hostDir = RecordingFiles.Write(dir, host, windows, Queues, (w, q) =>
        {
            var noise = 1 + (0.05 * Math.Sin((w * 7) + q));
            return ((long)Math.Round((w >= stormFrom ? 1_200 : 100) * noise), (long)Math.Round(5_000 * noise));
        });
        var rejected = new List<string>();
        var frames = ReplayFrameSource.Build(hostDir, host, HostFrameOptions.Default, rejected);
        if (rejected.Count > 0 || frames.Count != windows * Queues)
        {
            throw new InvalidOperationException($"the recording of {host} gave {frames.Count} frames for {windows} windows × {Queues} queues: {string.Join("; ", rejected)}");
        }
        return frames.OrderBy(f => f.WindowStartNs).ThenBy(f => f.Queue).ToList();
    }
}
