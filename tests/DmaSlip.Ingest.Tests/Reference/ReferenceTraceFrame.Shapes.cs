// The reference for ftrace's other output shapes (latency-format, function_graph, function tracer lines), written
// independently of TraceFrame.Graph.cs with regular expressions over the line's bytes (Latin-1, so string indices are
// byte indices), for the parity tests. Tried only on lines the default framings call garbage.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest.Tests.Reference;

internal ref partial struct ReferenceTraceFrame
{
    private static readonly Regex Box = new(@"^(?:-+|\|.* => .*|=> .*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex Graph = new(@"^(?:(?<abs>\d+\.\d+) \||(?<rel>\d+) us \|)? *(?<cpu>\d+)\)(?<rest>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex Latency = new(@"(?<= )(?<us>\d+)us[ !+#*@$]: ", RegexOptions.CultureInvariant);
    private static readonly Regex Function = new(@"^(?:<stack trace>|<user stack trace>|[^ \t]+ <-.+)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    private static TraceLineKind ParseOtherShapes(ReadOnlySpan<byte> s, ref ReferenceTraceFrame frame)
    {
        var text = Encoding.Latin1.GetString(s);
        if (Box.IsMatch(text))
        {
            return TraceLineKind.None;
        }
        if (Graph.Match(text) is { Success: true } g && GraphLine(s, g, ref frame) is { } graph)
        {
            return graph;
        }
        if (!FindTimestamp(s, out var tsStart, out var tsEnd, out var ts))
        {
            var m = Latency.Matches(text).FirstOrDefault(x => long.TryParse(x.Groups["us"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var us) && us < long.MaxValue / 1000);
            if (m is null)
            {
                return TraceLineKind.Garbage;
            }
            tsStart = m.Index;
            tsEnd = m.Index + m.Length - 2;
            ts = long.Parse(m.Groups["us"].Value, CultureInfo.InvariantCulture) * 1000;
        }
        if (!ParsePrefix(s[..tsStart], out var cpu))
        {
            return TraceLineKind.Garbage;
        }
        var rest = s[(tsEnd + 2)..].TrimStart((byte)' ');
        if (Function.IsMatch(Encoding.Latin1.GetString(rest)))
        {
            return TraceLineKind.Function;
        }
        var kind = ParseEvent(rest, ref frame);
        frame.TsNs = ts;
        frame.Cpu = cpu;
        return kind;
    }

    /// <summary>A function_graph line's kind; null when its columns do not parse (then it is not taken for one).</summary>
    private static TraceLineKind? GraphLine(ReadOnlySpan<byte> s, Match g, ref ReferenceTraceFrame frame)
    {
        long ts = -1;
        if (g.Groups["abs"].Success && !RefAscii.TrySecondsToNs(s[..g.Groups["abs"].Length], out ts))
        {
            return null;
        }
        if (g.Groups["rel"].Success)
        {
            if (!long.TryParse(g.Groups["rel"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var us) || us >= long.MaxValue / 1000)
            {
                return null;
            }
            ts = us * 1000;
        }
        if (!int.TryParse(g.Groups["cpu"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var cpu))
        {
            return null;
        }
        var rest = g.Groups["rest"].Value;
        if (ts < 0 && rest.Contains(" => ", StringComparison.Ordinal) && !rest.Contains('|', StringComparison.Ordinal))
        {
            return TraceLineKind.None; // the middle of the task-switch box
        }
        // an event is a comment that fills the call-graph column: "|  /* event: body */"
        var open = rest.IndexOf("/* ", StringComparison.Ordinal);
        var trimmed = rest.TrimEnd(' ');
        if (open < 0 || !trimmed.EndsWith(" */", StringComparison.Ordinal) || open + 3 > trimmed.Length - 3
            || rest[(rest[..open].LastIndexOf('|') + 1)..open].Trim(' ', '\t', '\n', '\v', '\f', '\r').Length > 0)
        {
            return TraceLineKind.Function;
        }
        var at = g.Groups["rest"].Index;
        if (ParseEvent(RefAscii.Trim(s[(at + open + 3)..(at + trimmed.Length - 3)]), ref frame) != TraceLineKind.Event)
        {
            return TraceLineKind.Function;
        }
        frame.Cpu = cpu;
        frame.TsNs = ts;
        return ts < 0 ? TraceLineKind.Untimed : TraceLineKind.Event;
    }
}
