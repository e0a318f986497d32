using System.Runtime.CompilerServices;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Kernel trace text (ftrace trace/trace_pipe, trace-cmd report, perf script) → <c>host_events</c>. One row per used
/// event line, keyed by (host, source, byte offset of the line, kind), so re-ingesting adds nothing.
/// Timestamps are kept on the trace clock as nanoseconds (ftrace prints µs, perf --ns prints ns).
/// The input is read in newline-aligned chunks (<see cref="LineChunkReader"/>; lines of <c>lineLimit</c> bytes or more
/// are quarantined by their head, as <see cref="LineReader"/> would hand them out). On one thread each chunk is parsed
/// right after its read, while it is still in the core's cache; with <c>threads</c> above 1 a large input's chunks
/// are parsed on that many workers and delivered in file order (<see cref="TraceParsePipeline"/>). Either way the sink
/// gets the same rows in the same order, with the same offsets and counts, as a one-line-at-a-time pass.
/// </summary>
internal sealed partial class TraceParser(
    int threads = 1,
    int lineLimit = LineReader.DefaultBufferSize,
    int chunkBytes = TraceParser.DefaultChunkBytes,
    long minParallelBytes = TraceParser.DefaultMinParallelBytes) : IFormatParser
{
    /// <summary>Chunk size of the parallel parse: large enough that handing a chunk over costs nothing per line.</summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>Below this (when the length is known) one thread parses: starting workers would cost more than they save.</summary>
    public const long DefaultMinParallelBytes = 8L << 20;

    // one thread: reads this large, so that a chunk is still in cache when it is parsed
    private const int InlineChunkBytes = 128 << 10;

    private const string LongLine = "line longer than 1 MiB";
    private const string NotTrace = "not a trace line (ftrace, trace-cmd or perf script framing)";
    private const string Untimed = "function_graph event without a time column: it cannot be placed in time (set options/funcgraph-abstime before capturing)";

    /// <summary>Said once per file whose times are relative to the trace buffer's start.</summary>
    internal const string RelativeClock = "times are microseconds since the trace buffer was reset (latency-format or funcgraph-reltime), not trace-clock readings: stored as such, so they line up only with other data from the same capture; capture without options/latency-format (or with funcgraph-abstime) for trace-clock times";

    public void Parse(Stream input, FileContext ctx)
    {
        var known = input.CanSeek ? input.Length - input.Position : input is OwningStream o ? o.Length : -1;
        if (threads > 1 && (known < 0 || known >= minParallelBytes))
        {
            using var pipeline = new TraceParsePipeline(input, ctx, threads, lineLimit, chunkBytes);
            pipeline.Run();
        }
        else
        {
            ParseInline(input, ctx);
        }
        ctx.FlushHostEvents();
    }

    private void ParseInline(Stream input, FileContext ctx)
    {
        var reader = new LineChunkReader(input, lineLimit, Math.Min(chunkBytes, InlineChunkBytes));
        using var c = new TraceChunk(reader.BufferSize);
        string? host = ctx.Host;
        while (true)
        {
            c.Reset();
            c.Kind = reader.Next(c.Data, out var length, out var offset);
            if (c.Kind == LineChunkKind.End)
            {
                return;
            }
            c.Length = length;
            c.Offset = offset;
            if (c.Kind != LineChunkKind.Overlong)
            {
                ParseChunk(c, ctx.Strings, host is null, lineLimit);
            }
            DeliverChunk(c, ctx, ref host);
        }
    }

    private enum TraceLineOutcome
    {
        /// <summary>No data line (blank, comment, header, callchain).</summary>
        None,
        Garbage,
        NotUsed,
        Malformed,
        Used,
    }

    /// <summary>What one line is, with its frame and decoded event.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TraceLineOutcome Classify(ReadOnlySpan<byte> line, out TraceFrame f, out DecodedEvent e)
    {
        var kind = TraceFrame.Parse(line, out f);
        if (kind != TraceLineKind.Event)
        {
            e = default;
            switch (kind)
            {
                case TraceLineKind.None:
                    return TraceLineOutcome.None;
                case TraceLineKind.Function:
                    return TraceLineOutcome.NotUsed;
                case TraceLineKind.Untimed:
                    e.Reason = Untimed;
                    return TraceLineOutcome.Malformed;
                default:
                    return TraceLineOutcome.Garbage;
            }
        }
        return TraceEventDecoder.Decode(f.System, f.Event, f.Body, out e) switch
        {
            DecodeResult.Used => TraceLineOutcome.Used,
            DecodeResult.NotUsed => TraceLineOutcome.NotUsed,
            _ => TraceLineOutcome.Malformed,
        };
    }

    // perf script --header: "# hostname : myhost"
    private static bool TryHeaderHost(ReadOnlySpan<byte> line, out string host)
    {
        host = "";
        var s = Ascii.Trim(line);
        if (!s.StartsWith("# hostname"u8))
        {
            return false;
        }
        var c = s.IndexOf((byte)':');
        if (c < 0)
        {
            return false;
        }
        var v = Ascii.Trim(s[(c + 1)..]);
        if (v.IsEmpty)
        {
            return false;
        }
        host = Ascii.Text(v);
        return true;
    }
}
