using DmaSlip.Fleet.Agent;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

public sealed class ReplayFrameSourceTests
{
    [Fact]
    public async Task A_frames_csv_replays_window_by_window_with_every_queue()
    {
        using var dir = new TempDir();
        var frames = FrameFiles.Write(dir.Path, "h1", windows: 5, stormFrom: 3);
        var source = new ReplayFrameSource(ReplayFrameSource.PathFor(dir.Path, "h1"), "h1", speed: 1000, TimeProvider.System);
        var windows = new List<FrameWindow>();
        await foreach (var w in source.ReadAsync(CancellationToken.None))
        {
            windows.Add(w);
        }
        Assert.Equal(5, windows.Count);
        Assert.All(windows, w => Assert.Equal(FrameFiles.Queues, w.Frames.Count));
        Assert.Equal(frames, windows.SelectMany(w => w.Frames));
        Assert.Empty(source.Rejected);
    }

    [Fact]
    public void Rows_that_do_not_parse_are_reported_with_their_line_and_the_rest_is_kept()
    {
        using var dir = new TempDir();
        FrameFiles.Write(dir.Path, "h1", windows: 2, stormFrom: 9);
        var path = ReplayFrameSource.PathFor(dir.Path, "h1");
        var lines = File.ReadAllLines(path).ToList();
        var cells = lines[3].Split(',');
        cells[2] = "zero";
        lines[3] = string.Join(',', cells);
        lines.Add(lines[1].Replace("h1,", "h2,", StringComparison.Ordinal));
        File.WriteAllLines(path, lines);
        var source = new ReplayFrameSource(path, "h1", 1, TimeProvider.System);
        Assert.Equal(2, source.Rejected.Count);
        Assert.Contains("line 4", source.Rejected[0], StringComparison.Ordinal);
        Assert.Contains("host 'h2'", source.Rejected[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_the_host_frames_columns_is_refused()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.csv"), "a,b\n1,2\n");
        var ex = Assert.Throws<InvalidDataException>(() => new ReplayFrameSource(dir.File("x.csv"), "h1", 1, TimeProvider.System));
        Assert.Contains("not a host_frames CSV", ex.Message, StringComparison.Ordinal);
    }
}
