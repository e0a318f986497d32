using System.Text;
using CsCheck;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Tests.Reference;
using DmaSlip.Ingest.Trace;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// The chunked trace parse, on one thread and on several (chunks on worker threads, delivered in file order), gives the
/// sink exactly what the one-line-at-a-time parser it replaced gives (<see cref="ReferenceTraceParser"/>): the same
/// host_events rows in the same order, the same quarantine rows (offsets, reasons, raw text) in the same order, the
/// same counts and host, and the same failure when a file has no host. Checked
/// on random files assembled from real, bad, header, CRLF and overlong lines, with truncated endings, tiny chunks and
/// choppy reads, so that lines straddle every chunk and read boundary.
/// </summary>
public class TraceParallelParityTests
{
    private static readonly string[] Pool = BuildPool();

    private static string[] BuildPool()
    {
        var lines = new List<string>();
        foreach (var f in new[] { "ftrace-mixed.trace", "ftrace-ath12k.trace", "perf-script.txt", "trace-cmd.txt" })
        {
            lines.AddRange(File.ReadAllLines(Golden("trace", f)));
        }
        using var dir = new DmaSlip.Testing.TempDir();
        var path = dir.File("gen.trace");
        TraceText.Write(path, 300, 7);
        lines.AddRange(File.ReadAllLines(path));
        lines.AddRange(
        [
            "",
            "   ",
            "not a trace line at all",
            "  x-9 [003] .... 1.5: map: IOMMU: iova=zz paddr=0x3 size=1",
            "  x-9 [003] .... 1.5: napi_poll: napi poll on napi struct",
            "# hostname : trade-07",
            "# hostname : other-host",
            "  x-9 [003] .... 1.5: map: IOMMU: iova=0x1 paddr=0x3 size=1\r",
            "garbage\r",
        ]);
        return [.. lines];
    }

    private sealed record Outcome(
        List<HostEventRow> Events, List<QuarantineRecord> Quarantine, long Records, long Skipped, long Quarantined, string? Host, string? Error);

    private static Outcome Parse(byte[] data, IFormatParser parser, string? host, int[] reads)
    {
        var sink = new MemorySink();
        var ctx = new FileContext(sink, "t.trace", new string('a', 64), Formats.Ftrace, host, 0);
        try
        {
            parser.Parse(new ChoppyStream(data, reads), ctx);
        }
        catch (IngestException ex)
        {
            // rows delivered before the failure differ with the batching; a failed file's rows are rolled back anyway
            return new Outcome([], [], 0, 0, 0, null, ex.Message);
        }
        return new Outcome([.. sink.Rows<HostEventRow>()], [.. sink.Rows<QuarantineRecord>()], ctx.Records, ctx.Skipped, ctx.Quarantined, ctx.Host, null);
    }

    private static void AssertSame(byte[] data, string? host, int lineLimit, int chunkBytes, int threads, int[] reads)
    {
        var expected = Parse(data, new ReferenceTraceParser(lineLimit), host, reads);
        AssertSame(expected, Parse(data, new TraceParser(1, lineLimit, chunkBytes), host, reads), $"{data.Length} bytes, limit {lineLimit}, chunks {chunkBytes}, 1 thread, host {host ?? "none"}");
        AssertSame(expected, Parse(data, new TraceParser(threads, lineLimit, chunkBytes, minParallelBytes: 0), host, reads),
            $"{data.Length} bytes, limit {lineLimit}, chunks {chunkBytes}, {threads} threads, host {host ?? "none"}");
    }

    private static void AssertSame(Outcome expected, Outcome actual, string what)
    {
        Assert.True(expected.Error == actual.Error, $"{what}: error '{actual.Error}' vs '{expected.Error}'");
        Assert.True(expected.Events.SequenceEqual(actual.Events), $"{what}: {actual.Events.Count} events vs {expected.Events.Count}");
        Assert.True(expected.Quarantine.SequenceEqual(actual.Quarantine), $"{what}: {actual.Quarantine.Count} quarantined rows vs {expected.Quarantine.Count}");
        Assert.True((expected.Records, expected.Skipped, expected.Quarantined, expected.Host) == (actual.Records, actual.Skipped, actual.Quarantined, actual.Host),
            $"{what}: counts/host {actual.Records}/{actual.Skipped}/{actual.Quarantined}/{actual.Host} vs {expected.Records}/{expected.Skipped}/{expected.Quarantined}/{expected.Host}");
    }

    private static Gen<string> Line(int lineLimit) => Gen.Frequency(
        (20, Gen.Int[0, Pool.Length - 1].Select(i => Pool[i])),
        (2, Gen.Int[0, Pool.Length - 1].Select(i => Pool[i] + "\r")),
        // around the limit: just under, at, just over, far over (the newline may then fall in a later read or chunk)
        (1, Gen.Int[-2, 2].Select(d => new string('x', lineLimit + d))),
        (1, Gen.Int[1, 4].Select(k => "  a-1 [000] .... 1.0: map: " + new string('y', k * lineLimit))),
        (1, Gen.Int[-1, 1].Select(d => new string('z', lineLimit + d - 1) + "\r")));

    [Fact]
    public void Random_files_parse_in_chunks_exactly_as_in_one_pass()
    {
        var limit = Gen.Int[0, 1].Select(i => i == 0 ? 256 : 1024);
        limit.SelectMany(l => Gen.Select(
                Line(l).Array[0, 120],
                Gen.Int[0, 2],
                Gen.Int[0, 5].Select(i => new[] { 1, 64, 100, 300, 1000, 5000 }[i]),
                Gen.Int[2, 3],
                Gen.Int[1, 700].Array[1, 4],
                Gen.Bool)
            .Select((lines, ending, chunk, threads, reads, hosted) => (l, lines, ending, chunk, threads, reads, hosted)))
            .Sample(t =>
            {
                var text = string.Join('\n', t.lines) + (t.ending == 0 ? "\n" : "");
                var data = Encoding.UTF8.GetBytes(text);
                if (t.ending == 2 && data.Length > 0)
                {
                    data = data[..^(1 + (data.Length / 3))]; // cut mid-line
                }
                AssertSame(data, t.hosted ? "h1" : null, t.l, t.chunk, t.threads, t.reads);
            }, iter: 1500);
    }

    [Fact]
    public void Edge_files_parse_in_chunks_exactly_as_in_one_pass()
    {
        const int L = 256;
        var cases = new[]
        {
            "",
            "\n",
            "\r\n\r\n",
            new string('x', L),
            new string('x', L - 1),
            new string('x', L - 1) + "\n",
            new string('x', L) + "\n",
            new string('x', 5 * L),
            new string('x', 5 * L) + "\n" + Pool[^1],
            "# hostname : trade-07\n" + string.Join('\n', Pool.Take(40)),
            string.Join("\r\n", Pool.Take(60)),
        };
        foreach (var c in cases)
        {
            var data = Encoding.UTF8.GetBytes(c);
            foreach (var chunk in new[] { 1, 64, 257, 4096 })
            {
                foreach (var host in new[] { "h1", null })
                {
                    AssertSame(data, host, L, chunk, 2, [1 << 20]);
                    AssertSame(data, host, L, chunk, 3, [1, 7, 300]);
                }
            }
        }
    }

    [Fact]
    public void A_large_file_ingests_the_same_rows_with_one_or_two_parse_threads()
    {
        using var dir = new DmaSlip.Testing.TempDir();
        var path = dir.File("big.trace");
        TraceText.Write(path, 80_000, 11); // ≈ 10 MB: above the size from which the ingestor parses in parallel
        Assert.True(new FileInfo(path).Length > TraceParser.DefaultMinParallelBytes);
        var one = new MemorySink();
        var two = new MemorySink();
        var r1 = new Ingestor(one, new IngestOptions { Host = "h1", ParseThreads = 1 }, TimeProvider.System).Ingest([path]).Single();
        var r2 = new Ingestor(two, new IngestOptions { Host = "h1", ParseThreads = 2 }, TimeProvider.System).Ingest([path]).Single();
        Assert.Equal((r1.Records, r1.Skipped, r1.Quarantined), (r2.Records, r2.Skipped, r2.Quarantined));
        Assert.True(r1.Records > 60_000 && r1.Error is null, $"records {r1.Records}, error {r1.Error}");
        Assert.True(one.Rows<HostEventRow>().SequenceEqual(two.Rows<HostEventRow>()));
    }

    [Fact]
    public void A_read_that_fails_midway_fails_the_parallel_parse_after_the_chunks_read_before_it()
    {
        var text = string.Join('\n', Enumerable.Repeat("  a-1 [000] .... 1.0: map: IOMMU: iova=0x1 paddr=0x3 size=4096", 4000)) + "\n";
        var data = Encoding.UTF8.GetBytes(text);
        foreach (var threads in new[] { 2, 3 })
        {
            var sink = new MemorySink();
            var ctx = new FileContext(sink, "t.trace", new string('a', 64), Formats.Ftrace, "h1", 0);
            var failing = new FailingStream(data, failAt: data.Length / 2);
            var ex = Assert.Throws<IOException>(() => new TraceParser(threads, 1024, 4096, minParallelBytes: 0).Parse(failing, ctx));
            Assert.Equal("disk gone", ex.Message);
            // what was delivered is whole lines of the part read before the failure, in order
            var rows = sink.Rows<HostEventRow>();
            Assert.InRange(rows.Count, 1, 2000);
            Assert.Equal(rows.Select(r => r.SourceOffset).Order(), rows.Select(r => r.SourceOffset));
        }
    }

    /// <summary>Reads <paramref name="data"/> in 1000-byte reads, and throws once a read would pass <c>failAt</c>.</summary>
    private sealed class FailingStream(byte[] data, int failAt) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position + Math.Min(count, 1000) > failAt)
            {
                throw new IOException("disk gone");
            }
            return base.Read(buffer, offset, Math.Min(count, 1000));
        }

        public override int Read(Span<byte> buffer) =>
            Position + Math.Min(buffer.Length, 1000) > failAt ? throw new IOException("disk gone") : base.Read(buffer[..Math.Min(buffer.Length, 1000)]);
    }
}
