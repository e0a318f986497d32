// The trace-text parser as it was before the fast paths (commit 03b3ee6), kept verbatim as the reference the new
// parser must agree with line for line (ReferenceParityTests) and as the baseline of TraceLineParseBenchmarks.
// Do not optimise this file: its value is that it is the old, obviously-correct code.
using System.Buffers.Text;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest.Tests.Reference;

/// <summary>
/// The common framing of ftrace <c>trace</c>/<c>trace_pipe</c>, <c>trace-cmd report</c> and <c>perf script</c> lines:
/// <c>comm-pid [cpu] flags secs.usecs: event: body</c>, <c>comm-pid [cpu] secs.usecs: event:   body</c> (event padded),
/// <c>comm-pid cpuFLAGS secs.usecs: ...</c> (trace-cmd -l), <c>comm tid [cpu] secs.usecs: sys:event: body</c>.
/// The comm may contain dashes, spaces and parentheses, so the pid is split at the last dash and the timestamp is
/// located first (the first <c>digits.digits: </c> token) rather than by columns.
/// </summary>
internal ref partial struct ReferenceTraceFrame
{
    public int Cpu;
    public long TsNs;
    public ReadOnlySpan<byte> System;
    public ReadOnlySpan<byte> Event;
    public ReadOnlySpan<byte> Body;

    public static TraceLineKind Parse(ReadOnlySpan<byte> line, out ReferenceTraceFrame frame)
    {
        frame = default;
        var s = RefAscii.Trim(line);
        if (s.IsEmpty || s[0] == '#' || s.StartsWith("cpus="u8) || s.StartsWith("version = "u8) || s.StartsWith("CPU "u8))
        {
            // comments; trace-cmd report's "cpus=N"/"version = 6" header; "CPU 3 is empty" notes
            return TraceLineKind.None;
        }
        var kind = ParseDefault(s, ref frame);
        if (kind != TraceLineKind.Garbage)
        {
            return kind;
        }
        frame = default;
        return ParseOtherShapes(s, ref frame); // ReferenceTraceFrame.Shapes.cs
    }

    private static TraceLineKind ParseDefault(ReadOnlySpan<byte> s, ref ReferenceTraceFrame frame)
    {
        if (!FindTimestamp(s, out var tsStart, out var tsEnd, out var ts))
        {
            return IsCallchain(s) ? TraceLineKind.None : TraceLineKind.Garbage;
        }
        frame.TsNs = ts;
        if (!ParsePrefix(s[..tsStart], out frame.Cpu))
        {
            return TraceLineKind.Garbage;
        }
        // after "ts: " comes "event: body" (perf: "sys:event: body"; trace-cmd pads the event to 20 columns)
        return ParseEvent(s[(tsEnd + 2)..], ref frame);
    }

    private static TraceLineKind ParseEvent(ReadOnlySpan<byte> rest, ref ReferenceTraceFrame frame)
    {
        var i = 0;
        while (i < rest.Length && rest[i] == ' ')
        {
            i++;
        }
        rest = rest[i..];
        // perf script with a period column: "ts:          1 iommu:map: ..." (no event name starts with a digit)
        var d = 0;
        while (d < rest.Length && RefAscii.IsDigit(rest[d]))
        {
            d++;
        }
        if (d > 0 && d < rest.Length && rest[d] == ' ')
        {
            var k = d;
            while (k < rest.Length && rest[k] == ' ')
            {
                k++;
            }
            var next = rest[k..];
            var blank = next.IndexOf((byte)' ');
            var firstColon = next.IndexOf((byte)':');
            if (firstColon > 0 && (blank < 0 || firstColon < blank))
            {
                rest = next;
            }
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

    private static bool FindTimestamp(ReadOnlySpan<byte> s, out int start, out int end, out long ns)
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
            var k = j;
            while (k > 0 && (RefAscii.IsDigit(s[k - 1]) || s[k - 1] == '.'))
            {
                k--;
            }
            if (k < j && (k == 0 || s[k - 1] == ' ') && s[k..j].IndexOf((byte)'.') > 0 && RefAscii.TrySecondsToNs(s[k..j], out ns))
            {
                start = k;
                end = j;
                return true;
            }
            from = j + 1;
        }
        start = end = 0;
        ns = 0;
        return false;
    }

    private static bool ParsePrefix(ReadOnlySpan<byte> p, out int cpu)
    {
        cpu = -1;
        p = RefAscii.Trim(p);
        if (p.IsEmpty)
        {
            return false;
        }
        var open = p.LastIndexOf((byte)'[');
        ReadOnlySpan<byte> comm;
        if (open >= 0)
        {
            var close = p[open..].IndexOf((byte)']');
            if (close < 0 || !RefAscii.TryInt(p[(open + 1)..(open + close)], out cpu))
            {
                return false;
            }
            if (!IsFlags(RefAscii.Trim(p[(open + close + 1)..]), allowEmpty: true))
            {
                return false;
            }
            comm = RefAscii.Trim(p[..open]);
        }
        else
        {
            // trace-cmd report -l fuses cpu and flags ("1dN.2"); some trimmed quotes have no cpu at all
            var last = p.LastIndexOf((byte)' ');
            if (last > 0 && RefAscii.IsDigit(p[last + 1]))
            {
                var tok = p[(last + 1)..];
                var d = 0;
                while (d < tok.Length && RefAscii.IsDigit(tok[d]))
                {
                    d++;
                }
                if (d < tok.Length && IsFlags(tok[d..], allowEmpty: false) && RefAscii.TryInt(tok[..d], out cpu))
                {
                    p = RefAscii.Trim(p[..last]);
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
            if (lp > 0 && RefAscii.AllDigits(RefAscii.Trim(comm[(lp + 1)..^1])))
            {
                comm = RefAscii.Trim(comm[..lp]);
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
            if (slash < 0 ? RefAscii.AllDigits(tok) : RefAscii.AllDigits(tok[..slash]) && RefAscii.AllDigits(tok[(slash + 1)..]))
            {
                return true;
            }
        }
        var dash = c.LastIndexOf((byte)'-');
        return dash > 0 && RefAscii.AllDigits(c[(dash + 1)..]);
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
            if (!(c == '.' || RefAscii.IsDigit(c) || (uint)((c | 0x20) - 'a') <= 25))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsCallchain(ReadOnlySpan<byte> s)
    {
        // perf script -g: "ffffffff8cfe3aaa __netif_receive_skb_core.constprop.0+0x6ca ([kernel.kallsyms])"
        // also short addresses and frames without a dso: "0 [unknown]", "f7a __vdso_gettimeofday"
        var sp = s.IndexOf((byte)' ');
        var addr = sp < 0 ? s : s[..sp];
        return addr.Length is >= 1 and <= 16 && RefAscii.TryHex(addr, out _)
            && (s.EndsWith(")"u8) || (sp > 0 && s.Length > sp + 1 && s.IndexOf(": "u8) < 0));
    }
}
