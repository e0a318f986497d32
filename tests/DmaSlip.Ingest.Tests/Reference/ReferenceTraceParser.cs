// The trace parser as it was before the chunked parse (commit 946a71a: one LineReader pass, one line at a time),
// kept verbatim as the reference the chunked parse, on one thread or several, must agree with
// (TraceParallelParityTests). Only the line limit became a parameter. Do not optimise this file.
using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest.Tests.Reference;

/// <summary>
/// Kernel trace text (ftrace trace/trace_pipe, trace-cmd report, perf script) → <c>host_events</c>. One row per used
/// event line, keyed by (host, source, byte offset of the line, kind), so re-ingesting adds nothing.
/// Timestamps are kept on the trace clock as nanoseconds (ftrace prints µs, perf --ns prints ns).
/// </summary>
internal sealed class ReferenceTraceParser(int lineLimit = LineReader.DefaultBufferSize) : IFormatParser
{
    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input, lineLimit);
        string? host = ctx.Host;
        while (reader.TryRead(out var line, out var offset, out var overlong))
        {
            if (overlong)
            {
                ctx.Quarantine(offset, "line longer than 1 MiB", line);
                continue;
            }
            var kind = TraceFrame.Parse(line, out var f);
            if (kind == TraceLineKind.None)
            {
                if (host is null && TryHeaderHost(line, out var h))
                {
                    ctx.Host = host = h;
                }
                continue;
            }
            if (kind == TraceLineKind.Garbage)
            {
                ctx.Quarantine(offset, "not a trace line (ftrace, trace-cmd or perf script framing)", line);
                continue;
            }
            if (kind == TraceLineKind.Function)
            {
                ctx.Skip();
                continue;
            }
            if (kind == TraceLineKind.Untimed)
            {
                ctx.Quarantine(offset, "function_graph event without a time column: it cannot be placed in time (set options/funcgraph-abstime before capturing)", line);
                continue;
            }
            switch (TraceEventDecoder.Decode(f.System, f.Event, f.Body, out var e))
            {
                case DecodeResult.NotUsed:
                    ctx.Skip();
                    break;
                case DecodeResult.Malformed:
                    ctx.Quarantine(offset, e.Reason!, line);
                    break;
                default:
                    host ??= ctx.RequireHost();
                    var device = e.Device.IsEmpty ? "" : ctx.Strings.Get(e.Device);
                    ctx.AddHostEvent(host, new HostEventEntry(f.TsNs, device, -1, f.Cpu, e.Kind, e.Size, e.Value, e.Aux, offset));
                    ctx.Record();
                    if (f.RelativeTime)
                    {
                        ctx.WarnOnce(offset, TraceParser.RelativeClock);
                    }
                    break;
            }
        }
        ctx.FlushHostEvents();
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
