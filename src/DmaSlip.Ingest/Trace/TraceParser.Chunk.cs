using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

internal sealed partial class TraceParser
{
    /// <summary>
    /// Parses the lines of one chunk (on the calling thread or a worker) into the chunk's results, kept in the chunk for
    /// in-order delivery. <paramref name="findHost"/>: the file has no
    /// host yet, so perf header lines are noted (the delivery takes the first one, as the sequential parse does).
    /// One loop with one line site, so that the line code inlines and the counters stay in registers.
    /// </summary>
    // Optimized at its first call, like the framing it inlines (TraceFrame.TryFastFraming, TryVectorFraming, TrimLine):
    // their Vector256 code has no ReadyToRun image, so they were jitted at tier 0 and ran unoptimized (with on-stack
    // replacement) for the first tenths of a second of every ingest, until the tier-1 rejit came.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ParseChunk(TraceChunk c, StringCache strings, bool findHost, int lineLimit)
    {
        var data = c.Data.AsSpan(0, c.Length);
        var newlines = new NewlineScanner(data);
        var events = c.Events;
        var count = 0;
        long records = 0, skipped = 0;
        var start = 0;
        while (start < data.Length)
        {
            var nl = newlines.Next();
            // no more '\n': the stream's last line, without its '\n' (only a final chunk has one)
            var raw = nl < 0 ? data[start..] : data[start..nl];
            var offset = c.Offset + start;
            start = nl < 0 ? data.Length : nl + 1;
            if (raw.Length >= lineLimit)
            {
                // what LineReader hands out of a line that fills its buffer
                c.Notes.Add(new TraceChunkNote(count, offset, LongLine, Ascii.Raw(raw[..LineChunkReader.HeadBytes(lineLimit)])));
                continue;
            }
            var line = raw.Length > 0 && raw[^1] == (byte)'\r' ? raw[..^1] : raw;
            switch (Classify(line, out var f, out var e))
            {
                case TraceLineOutcome.None:
                    if (findHost && TryHeaderHost(line, out var h))
                    {
                        c.Notes.Add(new TraceChunkNote(count, offset, null, h));
                    }
                    break;
                case TraceLineOutcome.Garbage:
                    c.Notes.Add(new TraceChunkNote(count, offset, NotTrace, Ascii.Raw(line)));
                    break;
                case TraceLineOutcome.NotUsed:
                    skipped++;
                    break;
                case TraceLineOutcome.Malformed:
                    c.Notes.Add(new TraceChunkNote(count, offset, e.Reason!, Ascii.Raw(line)));
                    break;
                default:
                    if (count == events.Length)
                    {
                        events = c.EventsWithRoom(count);
                    }
                    var device = e.Device.IsEmpty ? "" : strings.Get(e.Device);
                    events[count++] = new HostEventEntry(f.TsNs, device, -1, f.Cpu, e.Kind, e.Size, e.Value, e.Aux, offset);
                    if (f.RelativeTime && c.RelativeClockAt < 0)
                    {
                        c.RelativeClockAt = offset;
                    }
                    records++;
                    break;
            }
        }
        c.SetResults(count, records, skipped);
    }

    /// <summary>
    /// Newlines of a chunk in order, found 64 bytes at a time as a bit mask (one compare per 32 bytes, then one bit per
    /// line): the chunk is in memory, so unlike <see cref="LineReader"/> there is no refill to check for between lines.
    /// </summary>
    private ref struct NewlineScanner(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;
        private int _maskBase;
        private ulong _mask;

        /// <summary>The index of the next '\n', or -1 when there is none.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next()
        {
            while (_mask == 0)
            {
                if (Vector256.IsHardwareAccelerated && _pos + 64 <= _data.Length)
                {
                    var block = _data.Slice(_pos, 64);
                    var newline = Vector256.Create((byte)'\n');
                    _mask = Vector256.Equals(Vector256.Create(block), newline).ExtractMostSignificantBits()
                        | ((ulong)Vector256.Equals(Vector256.Create(block[32..]), newline).ExtractMostSignificantBits() << 32);
                    _maskBase = _pos;
                    _pos += 64;
                    continue;
                }
                var found = _data[_pos..].IndexOf((byte)'\n');
                if (found < 0)
                {
                    _pos = _data.Length;
                    return -1;
                }
                _pos += found + 1;
                return _pos - 1;
            }
            var nl = _maskBase + BitOperations.TrailingZeroCount(_mask);
            _mask &= _mask - 1;
            return nl;
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
        if (c.RelativeClockAt >= 0)
        {
            ctx.WarnOnce(c.RelativeClockAt, RelativeClock);
        }
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
