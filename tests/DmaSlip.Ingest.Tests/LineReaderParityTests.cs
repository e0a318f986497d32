using CsCheck;
using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Tests.Reference;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// The line reader hands out exactly the lines, offsets and overlong flags of the reference reader (the simple one
/// it replaced), for any bytes, buffer size and pattern of short reads.
/// </summary>
public class LineReaderParityTests
{
    private static List<(byte[] Line, long Offset, bool Overlong)> ReadAll(Func<Stream, (Func<(byte[], long, bool)?> Next, IDisposable D)> open, Stream s)
    {
        var (next, d) = open(s);
        using (d)
        {
            var lines = new List<(byte[], long, bool)>();
            while (next() is { } l)
            {
                lines.Add(l);
            }
            return lines;
        }
    }

    private static void AssertSame(byte[] data, int bufferSize, int[] chunks)
    {
        var actual = ReadAll(s =>
        {
            var r = new LineReader(s, bufferSize);
            return (() => r.TryRead(out var l, out var o, out var ov) ? (l.ToArray(), o, ov) : null, r);
        }, new ChoppyStream(data, chunks));
        var expected = ReadAll(s =>
        {
            var r = new ReferenceLineReader(s, bufferSize);
            return (() => r.TryRead(out var l, out var o, out var ov) ? (l.ToArray(), o, ov) : null, r);
        }, new ChoppyStream(data, chunks));
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Line.AsSpan().SequenceEqual(actual[i].Line) && expected[i].Offset == actual[i].Offset
                && expected[i].Overlong == actual[i].Overlong, $"line {i}: offset {actual[i].Offset} vs {expected[i].Offset}");
        }
    }

    [Fact]
    public void Any_bytes_any_buffer_and_any_short_reads_give_the_reference_lines()
    {
        var text = Gen.Int[0, 3].SelectMany(density => Gen.Int[0, 9].Select(b => (byte)(b < density ? '\n' : b == 9 ? '\r' : 'a' + b)).Array[0, 3000]);
        Gen.Select(text, Gen.Int[0, 6].Select(i => new[] { 16, 40, 64, 100, 200, 1000, 5000 }[i]), Gen.Int[1, 300].Array[1, 5])
            .Sample((data, size, chunks) => AssertSame(data, size, chunks), iter: 3000);
    }

    [Fact]
    public void Long_runs_without_newlines_and_trace_text_give_the_reference_lines()
    {
        using var dir = new DmaSlip.Testing.TempDir();
        var path = dir.File("t.trace");
        TraceText.Write(path, 3000, 9);
        var trace = File.ReadAllBytes(path);
        AssertSame(trace, LineReader.DefaultBufferSize, [1 << 20]);
        AssertSame(trace, 300, [7, 4096, 63, 64, 65]);
        var longLines = Enumerable.Range(0, 50).SelectMany(i => Enumerable.Repeat((byte)'x', i * 97).Append((byte)'\n')).ToArray();
        AssertSame(longLines, 256, [1000]);
        AssertSame(longLines, 1024, [13, 128]);
    }
}
