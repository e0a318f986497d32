using System.Runtime.CompilerServices;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Kernel trace text (ftrace trace/trace_pipe, trace-cmd report, perf script) → <c>host_events</c>. One row per used
/// event line, keyed by (host, source, byte offset of the line, kind), so re-ingesting adds nothing.
/// Timestamps are kept on the trace clock as nanoseconds (ftrace prints µs, perf --ns prints ns).
/// With <c>threads</c> above 1 a large input is cut into newline-aligned chunks parsed on that many worker threads and
/// delivered in file order (<see cref="TraceParsePipeline"/>): the sink gets the same rows in the same order, with the
/// same offsets and counts, as from one thread.
/// </summary>
internal sealed partial class TraceParser(
    int threads = 1,
    int lineLimit = LineReader.DefaultBufferSize,
    int chunkBytes = TraceParser.DefaultChunkBytes,
    long minParallelBytes = TraceParser.DefaultMinParallelBytes) : IFormatParser
{
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>Below this (when the length is known) one thread parses: starting workers would cost more than they save.</summary>
    public const long DefaultMinParallelBytes = 8L << 20;

    private const string LongLine = "line longer than 1 MiB";
    private const string NotTrace = "not a trace line (ftrace, trace-cmd or perf script framing)";

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
            ParseSequential(input, ctx);
        }
        ctx.FlushHostEvents();
    }

    private void ParseSequential(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input, lineLimit);
        string? host = ctx.Host;
        while (reader.TryRead(out var line, out var offset, out var overlong))
        {
            if (overlong)
            {
                ctx.Quarantine(offset, LongLine, line);
                continue;
            }
            switch (Classify(line, out var f, out var e))
            {
                case TraceLineOutcome.None:
                    if (host is null && TryHeaderHost(line, out var h))
                    {
                        ctx.Host = host = h;
                    }
                    break;
                case TraceLineOutcome.Garbage:
                    ctx.Quarantine(offset, NotTrace, line);
                    break;
                case TraceLineOutcome.NotUsed:
                    ctx.Skip();
                    break;
                case TraceLineOutcome.Malformed:
                    ctx.Quarantine(offset, e.Reason!, line);
                    break;
                default:
                    host ??= ctx.RequireHost();
                    var device = e.Device.IsEmpty ? "" : ctx.Strings.Get(e.Device);
                    ctx.AddHostEvent(host, new HostEventEntry(f.TsNs, device, -1, f.Cpu, e.Kind, e.Size, e.Value, e.Aux, offset));
                    ctx.Record();
                    break;
            }
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

    /// <summary>What one line is, with its frame and decoded event: the one decision both the sequential and the chunked parse act on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TraceLineOutcome Classify(ReadOnlySpan<byte> line, out TraceFrame f, out DecodedEvent e)
    {
        var kind = TraceFrame.Parse(line, out f);
        if (kind != TraceLineKind.Event)
        {
            e = default;
            return kind == TraceLineKind.None ? TraceLineOutcome.None : TraceLineOutcome.Garbage;
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
