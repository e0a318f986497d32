using DmaSlip.Fleet.Agent;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

public sealed class ReplayFrameSourceTests
{
    [Fact]
    public async Task A_recording_replays_window_by_window_with_every_queue_through_the_counter_frame_path()
    {
        using var dir = new TempDir();
        var frames = FrameFiles.Write(dir.Path, "h1", windows: 5, stormFrom: 3);
        var source = new ReplayFrameSource(dir.Path, "h1", speed: 1000, TimeProvider.System);
        var windows = new List<FrameWindow>();
        await foreach (var w in source.ReadAsync(CancellationToken.None))
        {
            windows.Add(w);
        }
        Assert.Equal(5, windows.Count);
        Assert.All(windows, w => Assert.Equal(FrameFiles.Queues, w.Frames.Count));
        Assert.Equal(frames, windows.SelectMany(w => w.Frames));
        Assert.Empty(source.Rejected);
        // Hand-computed: window 3 (storm), queue 2 counted round(1200·(1 + 0.05·sin(23))) = 1149 qi_submit and
        // round(5000·(1 + 0.05·sin(23))) = 4788 maps in 100 ms → 11 490 and 47 880 per second on the CPU its vector sits on.
        var f = windows[3].Frames[2];
        Assert.Equal(FrameFiles.StartNs + (3 * FrameFiles.WindowNs), f.WindowStartNs);
        Assert.Equal(11_490, f.FlushRate!.Value, 6);
        Assert.Equal(47_880, f.MapRate!.Value, 6);
        Assert.Null(f.FlushBurstQ95); // no trace capture: per-slot bursts are not in the counts
        Assert.Equal(1_000, windows[0].Frames[0].FlushRate!.Value, 6); // round(100·1) = 100 in window 0, queue 0
    }

    [Fact]
    public async Task Records_that_do_not_parse_are_reported_with_file_and_offset_and_the_rest_is_kept()
    {
        using var dir = new TempDir();
        FrameFiles.Write(dir.Path, "h1", windows: 2, stormFrom: 9);
        var path = Path.Combine(ReplayFrameSource.PathFor(dir.Path, "h1"), "perf-stat-tracepoints.csv");
        var lines = File.ReadAllLines(path).ToList();
        var napi = lines.FindIndex(l => l.Contains("napi:napi_poll", StringComparison.Ordinal));
        lines[napi] = lines[napi].Replace(",200,", ",zero,", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);
        var source = new ReplayFrameSource(dir.Path, "h1", 1000, TimeProvider.System);
        await Drain(source);
        Assert.Equal(2, source.Windows);
        var rejected = Assert.Single(source.Rejected);
        Assert.Contains("perf-stat-tracepoints.csv offset", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_host_folder_is_refused_and_a_recording_without_interrupts_says_why_it_has_no_frames()
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<DirectoryNotFoundException>(() => new ReplayFrameSource(dir.Path, "h1", 1, TimeProvider.System));
        Assert.Contains("No recording to replay", ex.Message, StringComparison.Ordinal);

        FrameFiles.Write(dir.Path, "h1", windows: 2, stormFrom: 9);
        File.Delete(Path.Combine(ReplayFrameSource.PathFor(dir.Path, "h1"), "interrupts.txt"));
        var source = new ReplayFrameSource(dir.Path, "h1", 1, TimeProvider.System);
        await Drain(source);
        Assert.Equal(0, source.Windows);
        Assert.Contains("no /proc/interrupts snapshot", Assert.Single(source.Rejected), StringComparison.Ordinal);
    }

    private static async Task Drain(ReplayFrameSource source)
    {
        await foreach (var _ in source.ReadAsync(CancellationToken.None))
        {
        }
    }
}
