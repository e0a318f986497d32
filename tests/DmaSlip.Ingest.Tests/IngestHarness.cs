using DmaSlip.Ingest;
using DmaSlip.Testing;

namespace DmaSlip.Ingest.Tests;

/// <summary>Runs the ingestor over files or text into a <see cref="MemorySink"/>.</summary>
internal static class IngestHarness
{
    public static string Golden(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Golden", .. parts]);

    public static (FileResult Result, MemorySink Sink) Run(string path, string? host = "h1", string? format = null, long? ts = null, MemorySink? sink = null)
    {
        sink ??= new MemorySink();
        var ingestor = new Ingestor(sink, new IngestOptions { Host = host, Format = format, SnapshotTsNs = ts }, TimeProvider.System);
        var results = ingestor.Ingest([path]);
        Assert.Single(results);
        return (results[0], sink);
    }

    public static (FileResult Result, MemorySink Sink) RunText(string fileName, string text, string? host = "h1", string? format = null, long? ts = null)
    {
        using var dir = new TempDir();
        var path = dir.File(fileName);
        File.WriteAllText(path, text);
        return Run(path, host, format, ts);
    }

    public static (FileResult Result, MemorySink Sink) RunBytes(string fileName, byte[] bytes, string format, string? host = "h1")
    {
        using var dir = new TempDir();
        var path = dir.File(fileName);
        File.WriteAllBytes(path, bytes);
        return Run(path, host, format, 1_000_000_000);
    }

    /// <summary>Non-blank lines that are not comments: what records + skipped + quarantined must add up to for line formats.</summary>
    public static int DataLines(string text, Func<string, bool>? isHeader = null) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#') && !(isHeader?.Invoke(l) ?? false));
}
