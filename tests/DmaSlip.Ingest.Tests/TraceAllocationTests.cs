using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest.Tests;

/// <summary>The trace parser's hot path allocates nothing per line: events reach the sink as reused value batches.</summary>
public class TraceAllocationTests
{
    /// <summary>Bytes one parse of <paramref name="text"/> allocates (the fewest over three parses) and the records it found.</summary>
    private static (long Bytes, long Records) Allocated(byte[] text)
    {
        var records = 0L;
        var bytes = DmaSlip.Testing.Allocations.SteadyState(3, _ =>
        {
            var ctx = new FileContext(new CountingSink(), "t.trace", new string('0', 64), Formats.Ftrace, "h1", 0);
            using var input = new MemoryStream(text, writable: false);
            new TraceParser().Parse(input, ctx);
            records = ctx.Records;
        });
        return (bytes, records);
    }

    [Fact]
    public void Parsing_more_lines_allocates_no_more_bytes()
    {
        using var dir = new DmaSlip.Testing.TempDir();
        var small = dir.File("small.trace");
        var large = dir.File("large.trace");
        TraceText.Write(small, 20_000, 5);
        TraceText.Write(large, 60_000, 5);
        var smallText = File.ReadAllBytes(small);
        var largeText = File.ReadAllBytes(large);
        Allocated(largeText); // warm up: JIT, tiering, the string cache's first devices
        Allocated(smallText);
        var (a, ra) = Allocated(smallText);
        var (b, rb) = Allocated(largeText);
        Assert.True(rb > 2 * ra && ra > 10_000, $"records {ra} / {rb}");
        // fixed costs (line buffer, one batch array, the file's string cache) are paid by both runs; 40 000 more lines
        // may not add even one byte per line
        Assert.True(b - a < 40_000, $"{a} B for {ra} records, {b} B for {rb} records: {(double)(b - a) / (rb - ra):F2} B per extra record");
    }
}
