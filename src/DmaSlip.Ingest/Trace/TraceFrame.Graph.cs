using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Two ftrace output shapes beside the default one (kernel/trace/trace_output.c, trace_functions_graph.c):
/// <list type="bullet">
/// <item><c>options/latency-format</c>: <c>%8.8s-%-7d %3d</c> comm-pid and cpu, the flags fused to the cpu, then the time
/// as <c>%4lldus%c: </c> — microseconds since the trace buffer was reset, with a delay mark (<c>' ' ! + # * @ $</c>) —
/// then <c>event: body</c> as usual. The time is relative to the buffer's start, not a trace clock reading.</item>
/// <item>function_graph reports: optional <c>funcgraph-abstime</c> (<c>%5lu.%06lu |  </c>) or <c>funcgraph-reltime</c>
/// (<c>%9llu us |  </c>) column, the cpu as <c> %d) </c>, optional <c>funcgraph-proc</c> and latency columns each ending
/// in <c> | </c>, the duration column, then the call graph; an event enabled beside the tracer is printed in that
/// column as a comment, <c>/* event: body */</c>. Calls and returns are function lines (not used); without an
/// absolute or relative time column an event cannot be placed in time.</item>
/// </list>
/// </summary>
internal ref partial struct TraceFrame
{
    /// <summary>The shapes of this file, for a line the default framings call garbage.</summary>
    private static TraceLineKind ParseOtherShapes(ReadOnlySpan<byte> s, ref TraceFrame frame)
    {
        if (TryGraphLine(s, ref frame, out var graph))
        {
            return graph;
        }
        var relative = false;
        if (!FindTimestamp(s, out var tsStart, out var tsEnd, out var ts))
        {
            if (!FindLatencyTimestamp(s, out tsStart, out tsEnd, out ts))
            {
                return TraceLineKind.Garbage;
            }
            relative = true;
        }
        if (!ParsePrefix(s[..tsStart], out var cpu))
        {
            return TraceLineKind.Garbage;
        }
        var rest = s[(tsEnd + 2)..].TrimStart((byte)' ');
        if (IsFunctionCall(rest))
        {
            return TraceLineKind.Function;
        }
        var kind = ParseEvent(rest, ref frame);
        frame.TsNs = ts;
        frame.Cpu = cpu;
        frame.RelativeTime = relative;
        return kind;
    }

    /// <summary>latency-format's time: a <c>&lt;digits&gt;us&lt;mark&gt;: </c> token after a blank.</summary>
    private static bool FindLatencyTimestamp(ReadOnlySpan<byte> s, out int start, out int end, out long ns) =>
        FindTime(s, LatencyTimeBefore, out start, out end, out ns);

    // "  259us+: " or "    0us : "
    private static bool LatencyTimeBefore(ReadOnlySpan<byte> s, int j, out int start, out long ns)
    {
        start = 0;
        ns = 0;
        var m = j - 1;
        if (m < 3 || !IsDelayMark(s[m]) || s[m - 2] != 'u' || s[m - 1] != 's')
        {
            return false;
        }
        var k = m - 2;
        while (k > 0 && Ascii.IsDigit(s[k - 1]))
        {
            k--;
        }
        if (k == m - 2 || k == 0 || s[k - 1] != ' ' || !long.TryParse(s[k..(m - 2)], out var us) || us >= long.MaxValue / 1000)
        {
            return false;
        }
        start = k;
        ns = us * 1000;
        return true;
    }

    // trace_find_mark: '$' > 1 s, '@' > 100 ms, '*' > 10 ms, '#' > 1 ms, '!' > 100 µs, '+' > 10 µs, else ' '
    private static bool IsDelayMark(byte c) => c is (byte)' ' or (byte)'!' or (byte)'+' or (byte)'#' or (byte)'*' or (byte)'@' or (byte)'$';

    /// <summary>A function tracer's <c>func &lt;-parent</c> (function, irqsoff, wakeup … tracers).</summary>
    private static bool IsFunctionCall(ReadOnlySpan<byte> rest)
    {
        if (rest.SequenceEqual("<stack trace>"u8) || rest.SequenceEqual("<user stack trace>"u8))
        {
            return true; // a latency tracer's stack dump follows as " => func" lines
        }
        var arrow = rest.IndexOf(" <-"u8);
        return arrow > 0 && rest[..arrow].IndexOfAny((byte)' ', (byte)'\t') < 0 && arrow + 3 < rest.Length;
    }

    /// <summary>A function_graph report line (see the type's summary); false when the line is not in that shape.</summary>
    private static bool TryGraphLine(ReadOnlySpan<byte> s, ref TraceFrame frame, out TraceLineKind kind)
    {
        kind = TraceLineKind.None;
        if ((s[0] == '-' && s.TrimEnd((byte)'-').IsEmpty) || (s[0] == '|' && s.IndexOf(" => "u8) > 0) || s.StartsWith("=> "u8))
        {
            // function_graph's task-switch box (" ------…", " | 1)  migration/0--1  =>  sshd-1755"); a latency
            // tracer's "<stack trace>" frames (" => irq_exit")
            return true;
        }
        var i = 0;
        long ts = -1;
        var relative = false;
        var digits = Digits(s, 0);
        if (digits > 0 && digits < s.Length && s[digits] == '.')
        {
            // funcgraph-abstime: "  2345.678901 |  "
            var frac = Digits(s, digits + 1);
            if (frac == 0 || !s[(digits + 1 + frac)..].StartsWith(" |"u8) || !Ascii.TrySecondsToNs(s[..(digits + 1 + frac)], out ts))
            {
                return false;
            }
            i = digits + 1 + frac + 2;
        }
        else if (digits > 0 && s[digits..].StartsWith(" us |"u8))
        {
            // funcgraph-reltime: "     1234 us |  "
            if (!long.TryParse(s[..digits], out var us) || us >= long.MaxValue / 1000)
            {
                return false;
            }
            ts = us * 1000;
            relative = true;
            i = digits + 5;
        }
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        var cpuDigits = Digits(s, i);
        if (cpuDigits == 0 || i + cpuDigits >= s.Length || s[i + cpuDigits] != ')' || !Ascii.TryInt(s[i..(i + cpuDigits)], out var cpu))
        {
            return false;
        }
        var rest = s[(i + cpuDigits + 1)..];
        if (ts < 0 && rest.IndexOf(" => "u8) > 0 && rest.IndexOf((byte)'|') < 0)
        {
            // the middle of the task-switch box: " 2)  ksoftir-24    =>  iperf3-48213"
            return true;
        }
        var open = rest.IndexOf("/* "u8);
        var trimmed = rest.TrimEnd((byte)' ');
        if (open < 0 || !trimmed.EndsWith(" */"u8) || open + 3 > trimmed.Length - 3 || !Ascii.Trim(rest[(rest[..open].LastIndexOf((byte)'|') + 1)..open]).IsEmpty)
        {
            // a call ("func() {", "func();"), a return ("}", "} /* func */"), an irq arrow, or a column-only line
            kind = TraceLineKind.Function;
            return true;
        }
        // an event (or a trace_printk text) printed as a comment in the call-graph column
        var inner = Ascii.Trim(trimmed[(open + 3)..^3]);
        if (ParseEvent(inner, ref frame) != TraceLineKind.Event)
        {
            kind = TraceLineKind.Function;
            return true;
        }
        frame.Cpu = cpu;
        frame.TsNs = ts;
        frame.RelativeTime = relative;
        kind = ts < 0 ? TraceLineKind.Untimed : TraceLineKind.Event;
        return true;
    }

    private static int Digits(ReadOnlySpan<byte> s, int from)
    {
        var n = 0;
        while (from + n < s.Length && Ascii.IsDigit(s[from + n]))
        {
            n++;
        }
        return n;
    }
}
