using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>What kind of line a trace text line is.</summary>
internal enum TraceLineKind
{
    /// <summary>Blank, a <c>#</c> comment/header, or a perf <c>-g</c> callchain line: counts as no data line.</summary>
    None,
    /// <summary>An event line; <see cref="TraceFrame"/> holds its parts.</summary>
    Event,
    /// <summary>Not a trace line of any of the three framings.</summary>
    Garbage,
    /// <summary>A well-formed line of a function tracer (<c>func &lt;-parent</c>, a function_graph call or return): not used.</summary>
    Function,
    /// <summary>An event with no time on its line (a function_graph report without <c>funcgraph-abstime</c>).</summary>
    Untimed,
}

/// <summary>
/// The common framing of ftrace <c>trace</c>/<c>trace_pipe</c>, <c>trace-cmd report</c> and <c>perf script</c> lines:
/// <c>comm-pid [cpu] flags secs.usecs: event: body</c>, <c>comm-pid [cpu] secs.usecs: event:   body</c> (event padded),
/// <c>comm-pid cpuFLAGS secs.usecs: ...</c> (trace-cmd -l), <c>comm tid [cpu] secs.usecs: sys:event: body</c>.
/// The comm may contain dashes, spaces and parentheses, so the pid is split at the last dash and the timestamp is
/// located first (the first <c>digits.digits: </c> token) rather than by columns.
/// </summary>
internal ref partial struct TraceFrame
{
    public int Cpu;
    public long TsNs;
    public ReadOnlySpan<byte> System;
    public ReadOnlySpan<byte> Event;
    public ReadOnlySpan<byte> Body;

    /// <summary>
    /// The time is relative to the trace buffer's start (latency-format <c>1234us</c>, function_graph
    /// <c>funcgraph-reltime</c>), not a reading of the trace clock.
    /// </summary>
    public bool RelativeTime;

    public static TraceLineKind Parse(ReadOnlySpan<byte> line, out TraceFrame frame)
    {
        frame = default;
        var s = TrimLine(line);
        if (s.IsEmpty || (s[0] is (byte)'#' or (byte)'c' or (byte)'v' or (byte)'C'
            && (s[0] == '#' || s.StartsWith("cpus="u8) || s.StartsWith("version = "u8) || s.StartsWith("CPU "u8))))
        {
            // comments; trace-cmd report's "cpus=N"/"version = 6" header; "CPU 3 is empty" notes
            return TraceLineKind.None;
        }
        // The default framings first; a line none of them takes may still be one of ftrace's other shapes
        // (latency-format, function_graph, a function tracer's "func <-parent": TraceFrame.Graph.cs).
        var kind = ParseDefault(s, ref frame);
        if (kind != TraceLineKind.Garbage)
        {
            return kind;
        }
        frame = default;
        return ParseOtherShapes(s, ref frame);
    }

    private static TraceLineKind ParseDefault(ReadOnlySpan<byte> s, ref TraceFrame frame)
    {
        int tsEnd;
        if (TryFastFraming(s, out tsEnd, out frame.TsNs, out frame.Cpu, out var masks))
        {
            var kind = TrySplitEvent(s, tsEnd + 2, masks, ref frame);
            return kind >= 0 ? (TraceLineKind)kind : ParseEvent(s[(tsEnd + 2)..], ref frame);
        }
        if (!FindTimestamp(s, out var tsStart, out tsEnd, out var ts))
        {
            return IsCallchain(s) ? TraceLineKind.None : TraceLineKind.Garbage;
        }
        frame.TsNs = ts;
        if (!ParsePrefix(s[..tsStart], out frame.Cpu))
        {
            return TraceLineKind.Garbage;
        }
        return ParseEvent(s[(tsEnd + 2)..], ref frame);
    }

    // after "ts: " comes "event: body" (perf: "sys:event: body"; trace-cmd pads the event to 20 columns)
    private static TraceLineKind ParseEvent(ReadOnlySpan<byte> rest, ref TraceFrame frame)
    {
        var i = 0;
        while (i < rest.Length && rest[i] == ' ')
        {
            i++;
        }
        rest = rest[i..];
        rest = SkipPeriod(rest);
        // The usual "event: body" / "sys:event: body": one pass to the first space or tab; when a ':' precedes it, that
        // is the first ": " and the event holds no blank, and the ':' before it (if any) splits off the system.
        var (sp, lastColon, prevColon) = BlankAndColons(rest);
        if (sp > 0 && rest[sp] == ' ' && lastColon == sp - 1)
        {
            return SplitEvent(rest, sp, lastColon, prevColon, ref frame);
        }
        var sep = rest.IndexOf(": "u8);
        ReadOnlySpan<byte> evt;
        if (sep < 0)
        {
            if (rest.Length == 0 || rest[^1] != ':')
            {
                return TraceLineKind.Garbage;
            }
            evt = rest[..^1];
            frame.Body = default;
        }
        else
        {
            evt = rest[..sep];
            var b = sep + 2;
            while (b < rest.Length && rest[b] == ' ')
            {
                b++;
            }
            frame.Body = rest[b..];
        }
        var colon = evt.LastIndexOf((byte)':');
        if (colon >= 0)
        {
            frame.System = evt[..colon];
            evt = evt[(colon + 1)..];
        }
        if (evt.IsEmpty || evt.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            return TraceLineKind.Garbage;
        }
        frame.Event = evt;
        return TraceLineKind.Event;
    }

    // the usual layout, "name: body" or "sys:name: body": the first blank is a space right after the last ':' before it
    private static TraceLineKind SplitEvent(ReadOnlySpan<byte> rest, int sp, int lastColon, int prevColon, ref TraceFrame frame)
    {
        var b = sp + 1;
        while (b < rest.Length && rest[b] == ' ')
        {
            b++;
        }
        frame.Body = rest[b..];
        var name = rest[..lastColon];
        if (prevColon >= 0)
        {
            frame.System = name[..prevColon];
            name = name[(prevColon + 1)..];
        }
        if (name.IsEmpty)
        {
            return TraceLineKind.Garbage;
        }
        frame.Event = name;
        return TraceLineKind.Event;
    }

    private static bool FindTimestamp(ReadOnlySpan<byte> s, out int start, out int end, out long ns) =>
        FindTime(s, ClockTimeBefore, out start, out end, out ns);

    /// <summary>Where a line's time token ends at a <c>": "</c>: its start and value in ns.</summary>
    private delegate bool TimeBefore(ReadOnlySpan<byte> s, int colon, out int start, out long ns);

    /// <summary>The first <c>": "</c> of the line preceded by a time token of the given shape.</summary>
    private static bool FindTime(ReadOnlySpan<byte> s, TimeBefore timeBefore, out int start, out int end, out long ns)
    {
        var from = 0;
        while (from < s.Length)
        {
            var j = s[from..].IndexOf(": "u8);
            if (j < 0)
            {
                // "...: event:" with an empty body ends the line with ':'
                break;
            }
            j += from;
            if (timeBefore(s, j, out start, out ns))
            {
                end = j;
                return true;
            }
            from = j + 1;
        }
        start = end = 0;
        ns = 0;
        return false;
    }

    // the trace clock's "secs.frac" after a blank (or at the line's start)
    private static bool ClockTimeBefore(ReadOnlySpan<byte> s, int j, out int start, out long ns)
    {
        var k = j;
        while (k > 0 && (Ascii.IsDigit(s[k - 1]) || s[k - 1] == '.'))
        {
            k--;
        }
        start = k;
        ns = 0;
        return k < j && (k == 0 || s[k - 1] == ' ') && s[k..j].IndexOf((byte)'.') > 0 && Ascii.TrySecondsToNs(s[k..j], out ns);
    }

    private static bool ParsePrefix(ReadOnlySpan<byte> p, out int cpu)
    {
        cpu = -1;
        p = Ascii.Trim(p);
        if (p.IsEmpty)
        {
            return false;
        }
        var open = p.LastIndexOf((byte)'[');
        ReadOnlySpan<byte> comm;
        if (open >= 0)
        {
            var close = p[open..].IndexOf((byte)']');
            if (close < 0 || !Ascii.TryInt(p[(open + 1)..(open + close)], out cpu))
            {
                return false;
            }
            if (!IsFlags(Ascii.Trim(p[(open + close + 1)..]), allowEmpty: true))
            {
                return false;
            }
            comm = Ascii.Trim(p[..open]);
        }
        else
        {
            // trace-cmd report -l fuses cpu and flags ("1dN.2"); some trimmed quotes have no cpu at all
            var last = p.LastIndexOf((byte)' ');
            if (last > 0 && Ascii.IsDigit(p[last + 1]))
            {
                var tok = p[(last + 1)..];
                var d = 0;
                while (d < tok.Length && Ascii.IsDigit(tok[d]))
                {
                    d++;
                }
                if (d < tok.Length && IsFlags(tok[d..], allowEmpty: false) && Ascii.TryInt(tok[..d], out cpu))
                {
                    p = Ascii.Trim(p[..last]);
                }
                else
                {
                    cpu = -1;
                }
            }
            comm = p;
        }
        if (comm.Length > 0 && comm[^1] == ')')
        {
            // optional TGID column "(  123)"
            var lp = comm.LastIndexOf((byte)'(');
            if (lp > 0 && Ascii.AllDigits(Ascii.Trim(comm[(lp + 1)..^1])))
            {
                comm = Ascii.Trim(comm[..lp]);
            }
        }
        return IsCommPid(comm);
    }

    private static bool IsCommPid(ReadOnlySpan<byte> c)
    {
        if (c.IsEmpty)
        {
            return false;
        }
        var sp = c.LastIndexOf((byte)' ');
        if (sp > 0)
        {
            // perf script: "comm tid" or "comm pid/tid"
            var tok = c[(sp + 1)..];
            var slash = tok.IndexOf((byte)'/');
            if (slash < 0 ? Ascii.AllDigits(tok) : Ascii.AllDigits(tok[..slash]) && Ascii.AllDigits(tok[(slash + 1)..]))
            {
                return true;
            }
        }
        var dash = c.LastIndexOf((byte)'-');
        return dash > 0 && Ascii.AllDigits(c[(dash + 1)..]);
    }

    private static bool IsFlags(ReadOnlySpan<byte> f, bool allowEmpty)
    {
        if (f.IsEmpty)
        {
            return allowEmpty;
        }
        if (f.Length > 8)
        {
            return false;
        }
        foreach (var c in f)
        {
            if (!(c == '.' || Ascii.IsDigit(c) || (uint)((c | 0x20) - 'a') <= 25))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>perf script with a period column: "ts:          1 iommu:map: ..." (no event name starts with a digit).</summary>
    private static ReadOnlySpan<byte> SkipPeriod(ReadOnlySpan<byte> rest)
    {
        var d = 0;
        while (d < rest.Length && Ascii.IsDigit(rest[d]))
        {
            d++;
        }
        if (d == 0 || d >= rest.Length || rest[d] != ' ')
        {
            return rest;
        }
        var k = d;
        while (k < rest.Length && rest[k] == ' ')
        {
            k++;
        }
        var next = rest[k..];
        var blank = next.IndexOf((byte)' ');
        var colon = next.IndexOf((byte)':');
        return colon > 0 && (blank < 0 || colon < blank) ? next : rest;
    }

    private static bool IsCallchain(ReadOnlySpan<byte> s)
    {
        // perf script -g: "ffffffff8cfe3aaa __netif_receive_skb_core.constprop.0+0x6ca ([kernel.kallsyms])"
        // also short addresses and frames without a dso: "0 [unknown]", "f7a __vdso_gettimeofday"
        var sp = s.IndexOf((byte)' ');
        var addr = sp < 0 ? s : s[..sp];
        return addr.Length is >= 1 and <= 16 && Ascii.TryHex(addr, out _)
            && (s.EndsWith(")"u8) || (sp > 0 && s.Length > sp + 1 && s.IndexOf(": "u8) < 0));
    }
}
