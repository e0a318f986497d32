using System.Numerics;
using System.Runtime.Intrinsics;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

internal sealed partial class TraceParser
{
    /// <summary>
    /// Parses the lines of one chunk (on a worker thread) into the chunk's results: what <see cref="ParseSequential"/>
    /// does to the file's context, kept in the chunk for in-order delivery. <paramref name="findHost"/>: the file has no
    /// host yet, so perf header lines are noted (the delivery takes the first one, as the sequential parse does).
    /// Newlines are found over the whole chunk 64 bytes at a time as a bit mask: the chunk is in memory, so there is no
    /// refill to check for between lines.
    /// </summary>
    internal static void ParseChunk(TraceChunk c, StringCache strings, bool findHost, int lineLimit)
    {
        var data = c.Data.AsSpan(0, c.Length);
        var start = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var newline = Vector256.Create((byte)'\n');
            for (; i + 64 <= data.Length; i += 64)
            {
                var block = data.Slice(i, 64);
                var mask = Vector256.Equals(Vector256.Create(block), newline).ExtractMostSignificantBits()
                    | ((ulong)Vector256.Equals(Vector256.Create(block[32..]), newline).ExtractMostSignificantBits() << 32);
                while (mask != 0)
                {
                    var nl = i + BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    ChunkLine(c, data[start..nl], start, strings, findHost, lineLimit);
                    start = nl + 1;
                }
            }
        }
        while (true)
        {
            var nl = data[i..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }
            nl += i;
            ChunkLine(c, data[start..nl], start, strings, findHost, lineLimit);
            start = i = nl + 1;
        }
        if (start < data.Length)
        {
            // the stream's last line, without its '\n' (only a final chunk has one)
            ChunkLine(c, data[start..], start, strings, findHost, lineLimit);
        }
    }

    private static void ChunkLine(TraceChunk c, ReadOnlySpan<byte> raw, int at, StringCache strings, bool findHost, int lineLimit)
    {
        var offset = c.Offset + at;
        if (raw.Length >= lineLimit)
        {
            // what LineReader hands out of a line that fills its buffer
            c.Notes.Add(new TraceChunkNote(c.EventCount, offset, LongLine, Ascii.Raw(raw[..LineChunkReader.HeadBytes(lineLimit)])));
            return;
        }
        var line = raw.Length > 0 && raw[^1] == (byte)'\r' ? raw[..^1] : raw;
        switch (Classify(line, out var f, out var e))
        {
            case TraceLineOutcome.None:
                if (findHost && TryHeaderHost(line, out var h))
                {
                    c.Notes.Add(new TraceChunkNote(c.EventCount, offset, null, h));
                }
                break;
            case TraceLineOutcome.Garbage:
                c.Notes.Add(new TraceChunkNote(c.EventCount, offset, NotTrace, Ascii.Raw(line)));
                break;
            case TraceLineOutcome.NotUsed:
                c.Skipped++;
                break;
            case TraceLineOutcome.Malformed:
                c.Notes.Add(new TraceChunkNote(c.EventCount, offset, e.Reason!, Ascii.Raw(line)));
                break;
            default:
                var device = e.Device.IsEmpty ? "" : strings.Get(e.Device);
                c.AddEvent(new HostEventEntry(f.TsNs, device, -1, f.Cpu, e.Kind, e.Size, e.Value, e.Aux, offset));
                c.Records++;
                break;
        }
    }

    /// <summary>
    /// Hands one parsed chunk to the file's context in line order: events in runs between the notes, each quarantine
    /// and header host where its line was, then the counts. <paramref name="host"/> follows the sequential rule: the
    /// first header host sets it when none was given, and the first event without one fails the file.
    /// </summary>
    internal static void DeliverChunk(TraceChunk c, FileContext ctx, ref string? host)
    {
        if (c.Kind == LineChunkKind.Overlong)
        {
            ctx.Quarantine(c.Offset, LongLine, c.Data.AsSpan(0, c.Length));
            return;
        }
        var done = 0;
        foreach (var n in c.Notes)
        {
            DeliverEvents(c, done, n.EventIndex, ctx, ref host);
            done = n.EventIndex;
            if (n.Reason is not null)
            {
                ctx.QuarantineText(n.Offset, n.Reason, n.Text);
            }
            else if (host is null)
            {
                ctx.Host = host = n.Text;
            }
        }
        DeliverEvents(c, done, c.EventCount, ctx, ref host);
        ctx.Skip(c.Skipped);
        ctx.Record(c.Records);
    }

    private static void DeliverEvents(TraceChunk c, int from, int to, FileContext ctx, ref string? host)
    {
        if (to > from)
        {
            host ??= ctx.RequireHost();
            ctx.AddHostEvents(host, c.Events.AsSpan(from, to - from));
        }
    }
}
