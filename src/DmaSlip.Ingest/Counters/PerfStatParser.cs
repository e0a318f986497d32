using System.Globalization;
using System.Runtime.InteropServices;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>perf stat</c> output of IOMMU PMU events, in both shapes perf prints (perf-stat(1)): the CSV of <c>-x SEP</c>
/// ([interval ts,] [aggregation id[, #cpus],] value, unit, event, run time, run %, [metric value, metric unit]) and the
/// default human format ("   1,234,567      dmar0/iommu_requests/    #  ...   (33.32%)", with thousands separators,
/// a unit such as <c>msec</c>, <c>&lt;not counted&gt;</c>, an interval time column under <c>-I</c>). A line is human
/// format when it holds a run of spaces (perf pads its columns; CSV never does) or no separator at all. Aggregation ids of <c>-A</c>
/// (<c>CPU3</c>), <c>--per-socket</c>/<c>--per-die</c>/<c>--per-core</c> (<c>S0</c>, <c>S0-D0</c>, <c>S0-D0-C1</c>, then a cpu
/// count) and <c>--per-node</c> (<c>N0</c>, count) are read past; the first field is an interval time only when a value
/// follows it (so a first <c>task-clock</c> row in msec is a value). IOMMU PMU events (<c>dmar*/</c>,
/// <c>amd_iommu_*/</c>) become counters (source <c>perf_stat</c>, device = PMU, name = text between the slashes; the
/// value is perf's, scaled when multiplexed); other events, <c>&lt;not counted&gt;</c>/<c>&lt;not supported&gt;</c>,
/// metric-only rows (no value and no event, only a metric) and the human summary lines are skipped. Event text may
/// contain the separator (<c>dmar1/iommu_requests,filter_ats_en=0x1/</c>), so the event field runs to the closing slash.
/// CSV counts of the IOMMU/NAPI/net tracepoints (<c>iommu:</c>, <c>intel_iommu:</c>, <c>dma:</c>, <c>napi:</c>, <c>net:</c>,
/// <c>irq:</c>) become counters with name = the tracepoint and device = <c>cpuN</c> under <c>-A</c> (per CPU), else <c>all</c>.
/// Interval timestamps are offsets from "# started on" (read as UTC), else from --ts or the file's mtime. Rows are
/// given to the sink one interval at a time (when the interval time changes), so a day of <c>perf stat -I</c> streams
/// through in constant memory; the same counter repeated within one interval's rows is summed.
/// </summary>
internal sealed partial class PerfStatParser : IFormatParser
{
    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input);
        var baseTs = ctx.SnapshotTsNs;
        var fields = new List<string>(16);
        // the current interval's counters in file order, and where each key is in it
        var index = new Dictionary<(string Pmu, string Event, long Ts), int>(CounterKeyComparer.Instance);
        var order = new List<((string Pmu, string Event, long Ts) Key, double Sum)>();
        while (reader.TryRead(out var line, out var offset, out var overlong))
        {
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            if (t[0] == '#')
            {
                if (t.StartsWith("# started on "u8) && TryStartedOn(Ascii.Text(t["# started on ".Length..]), out var started))
                {
                    baseTs = started;
                }
                continue;
            }
            if (t.StartsWith("Performance counter stats for"u8))
            {
                continue; // header of the human format
            }
            // the common -x, row first: it holds no space and four commas, so it is never a human-format row
            long tsOffset = 0;
            double? value = null;
            string? pmu = null, evt = null;
            var ok = !overlong && TryPlainCsv(t, ctx.Strings, out tsOffset, out value, out pmu, out evt);
            var human = !ok && (t.IndexOf("  "u8) >= 0 || t.IndexOfAny((byte)',', (byte)';') < 0);
            if (!ok && !overlong)
            {
                ok = human
                    ? TryHuman(Ascii.Text(t), out tsOffset, out value, out pmu, out evt)
                    : TrySplit(t, fields, out tsOffset, out value, out pmu, out evt);
            }
            if (!ok)
            {
                ctx.Quarantine(offset, human ? "perf stat: expected [time] count [unit] event [# metric] [(run %)]" : "perf stat -x: expected [ts,]value,unit,event,...", line);
                continue;
            }
            if (pmu is null || value is null)
            {
                ctx.Skip();
                continue;
            }
            var key = (pmu, evt!, baseTs + tsOffset);
            if (order.Count > 0 && order[^1].Key.Ts != key.Item3)
            {
                Flush(index, order, ctx);
            }
            ref var at = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out var seen);
            if (seen)
            {
                // the same PMU counter in several aggregation rows (-A, --per-socket) at one time: one counter, their sum
                CollectionsMarshal.AsSpan(order)[at].Sum += value.Value;
                ctx.Warn(offset, $"perf stat: {pmu}/{evt}/ appears in more than one aggregation row at one time; the rows are summed");
                ctx.Skip();
                continue;
            }
            at = order.Count;
            order.Add((key, value.Value));
            ctx.Record();
        }
        Flush(index, order, ctx);
    }

    private static void Flush(Dictionary<(string Pmu, string Event, long Ts), int> index, List<((string Pmu, string Event, long Ts) Key, double Sum)> order, FileContext ctx)
    {
        if (order.Count == 0)
        {
            return;
        }
        var host = ctx.RequireHost();
        foreach (var (key, sum) in order)
        {
            ctx.AddCounter(key.Ts, host, "perf_stat", key.Pmu, key.Event, sum);
        }
        index.Clear();
        order.Clear();
    }

    /// <summary>
    /// A data row of perf stat output (detection, for output captured without "# started on"): a human row of an IOMMU
    /// PMU event, or a CSV row whose value, event, run time and run % fields are where perf puts them.
    /// </summary>
    public static bool LooksLikeRow(ReadOnlySpan<byte> t)
    {
        if (t.IndexOf("  "u8) >= 0)
        {
            return TryHuman(Ascii.Text(t), out _, out _, out var p, out _) && p is not null;
        }
        var fields = new List<string>(16);
        if (!TrySplit(t, fields, out _, out _, out var pmu, out var evt) || (pmu is null && evt is null && fields.Count < 5))
        {
            return false;
        }
        if (pmu is not null)
        {
            return true;
        }
        // value,unit,event,run time,run %: the unit empty or a word, the event named, the run time an integer, the run % a percentage
        for (var i = 0; i + 4 < fields.Count; i++)
        {
            if (IsValue(fields[i]) && fields[i].Trim().Length > 0 && fields[i + 1].All(char.IsAsciiLetter)
                && fields[i + 2].Any(char.IsAsciiLetter) && long.TryParse(fields[i + 3], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                && double.TryParse(fields[i + 4], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) && pct is >= 0 and <= 100)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsNotCounted(string v) => v is "<not counted>" or "<not supported>";

    private static bool IsValue(string v) =>
        IsNotCounted(v.Trim()) || double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>An aggregation id: CPU3 (no count column follows), S0 / S0-D0 / S0-D0-C1 / S0-C1 / N0 (a count follows).</summary>
    private static int AggregationColumns(string f)
    {
        f = f.Trim();
        if (f.Length > 3 && f.StartsWith("CPU", StringComparison.Ordinal) && AllDigits(f.AsSpan(3)))
        {
            return 1;
        }
        if (f.Length > 1 && f[0] == 'N' && AllDigits(f.AsSpan(1)))
        {
            return 2;
        }
        if (f.Length < 2 || f[0] != 'S')
        {
            return 0;
        }
        foreach (var part in f.Split('-'))
        {
            if (part.Length < 2 || part[0] is not ('S' or 'D' or 'C') || !AllDigits(part.AsSpan(1)))
            {
                return 0;
            }
        }
        return 2;
    }

    private static bool AllDigits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    internal static bool TrySplit(ReadOnlySpan<byte> t, List<string> fields, out long tsOffset, out double? value, out string? pmu, out string? evt)
    {
        tsOffset = 0;
        value = null;
        pmu = evt = null;
        var sep = t.IndexOf((byte)';') >= 0 ? ';' : ',';
        fields.Clear();
        fields.AddRange(Ascii.Text(t).Split(sep));
        var i = 0;
        // an interval time only when a value or an aggregation id follows: "1001.23,msec,task-clock" is a value
        if (fields.Count > 1 && fields[0].Contains('.', StringComparison.Ordinal) && (IsValue(fields[1]) || AggregationColumns(fields[1]) > 0)
            && Ascii.TrySecondsToNs(System.Text.Encoding.ASCII.GetBytes(fields[0].Trim()), out var off))
        {
            tsOffset = off;
            i = 1;
        }
        string? cpu = null;
        if (i < fields.Count)
        {
            var agg = AggregationColumns(fields[i]);
            if (agg == 1)
            {
                cpu = "cpu" + fields[i].Trim()[3..];
            }
            i += agg;
        }
        if (i + 2 >= fields.Count)
        {
            return false;
        }
        var v = fields[i].Trim();
        if (v.Length == 0 && fields[i + 2].Length == 0)
        {
            return true; // a metric-only row: a further metric of the event above, no value of its own
        }
        if (IsNotCounted(v))
        {
            value = null;
        }
        else if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            value = d;
        }
        else
        {
            return false;
        }
        var e = fields[i + 2];
        var slash = e.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var j = i + 2;
            while (!e.EndsWith('/') && j + 1 < fields.Count)
            {
                e += sep + fields[++j];
            }
            if (!e.EndsWith('/'))
            {
                return false;
            }
        }
        if (e.Length == 0)
        {
            return false;
        }
        Event(e, out pmu, out evt);
        if (pmu is null && IsTracepoint(e))
        {
            // a tracepoint's hit count: device = the CPU under -A, else "all"; name = the tracepoint
            pmu = cpu ?? "all";
            evt = e;
        }
        return true;
    }

    private static readonly string[] TracepointSystems = ["iommu:", "intel_iommu:", "dma:", "napi:", "net:", "irq:"];

    private static bool IsTracepoint(string e)
    {
        foreach (var sys in TracepointSystems)
        {
            if (e.StartsWith(sys, StringComparison.Ordinal) && e.Length > sys.Length && e.IndexOf('/', StringComparison.Ordinal) < 0)
            {
                return true;
            }
        }
        return false;
    }

    private static void Event(string e, out string? pmu, out string? evt)
    {
        pmu = evt = null;
        var slash = e.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < e.Length - 1 && e.EndsWith('/') && IsIommuPmu(e.AsSpan(0, slash)))
        {
            pmu = e[..slash];
            evt = e[(slash + 1)..^1];
        }
    }

    /// <summary>
    /// A human-format row: [time] count [unit] event [# metric...] [(run %)]; count "1,234,567", "1,001.23" or
    /// "&lt;not counted&gt;". Summary lines ("2.0012 seconds time elapsed") read as a count of an event that is not an IOMMU PMU's.
    /// </summary>
    private static bool TryHuman(string line, out long tsOffset, out double? value, out string? pmu, out string? evt)
    {
        tsOffset = 0;
        value = null;
        pmu = evt = null;
        var tok = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = 0;
        if (tok.Length > 2 && tok[0].Contains('.', StringComparison.Ordinal) && !tok[0].Contains(',', StringComparison.Ordinal)
            && (IsCount(tok[1]) || tok[1] == "<not" || AggregationColumns(tok[1]) > 0)
            && Ascii.TrySecondsToNs(System.Text.Encoding.ASCII.GetBytes(tok[0]), out var off))
        {
            tsOffset = off;
            i = 1;
        }
        if (i < tok.Length)
        {
            i += AggregationColumns(tok[i]);
        }
        if (i + 1 >= tok.Length)
        {
            return false;
        }
        if (tok[i] == "<not" && tok[i + 1] is "counted>" or "supported>")
        {
            i += 2;
        }
        else if (TryCount(tok[i], out var v))
        {
            value = v;
            i++;
        }
        else
        {
            return false;
        }
        if (i >= tok.Length || tok[i][0] is '#' or '(')
        {
            return false;
        }
        // "1,001.23 msec task-clock": a unit when another word (not a metric or run %) follows
        if (i + 1 < tok.Length && tok[i + 1][0] is not ('#' or '(') && !tok[i].Contains('/', StringComparison.Ordinal))
        {
            i++;
        }
        Event(tok[i], out pmu, out evt);
        if (pmu is null)
        {
            value = null;
        }
        return true;
    }

    private static bool IsCount(string s) => TryCount(s, out _);

    /// <summary>A count with optional thousands separators: 1234567, 1,234,567, 1,001.23.</summary>
    private static bool TryCount(string s, out double v)
    {
        v = 0;
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? s : s[..dot];
        var groups = whole.Split(',');
        for (var g = 0; g < groups.Length; g++)
        {
            if (!AllDigits(groups[g]) || (g > 0 && groups[g].Length != 3) || (groups.Length > 1 && g == 0 && groups[g].Length > 3))
            {
                return false;
            }
        }
        return double.TryParse(s.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }

    private static bool IsIommuPmu(ReadOnlySpan<char> p) =>
        (p.StartsWith("dmar") && p.Length > 4 && int.TryParse(p[4..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        || (p.StartsWith("amd_iommu_") && p.Length > 10 && int.TryParse(p[10..], NumberStyles.None, CultureInfo.InvariantCulture, out _));

    // "Wed Nov 25 17:33:18 2026" (ctime; day may be space-padded)
    private static bool TryStartedOn(string s, out long ns)
    {
        ns = 0;
        var parts = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            return false;
        }
        var text = string.Join(' ', parts[1], parts[2], parts[3], parts[4]);
        if (!DateTime.TryParseExact(text, "MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            return false;
        }
        ns = new DateTimeOffset(dt, TimeSpan.Zero).ToUnixTimeMilliseconds() * Time.NanosPerMilli;
        return true;
    }
}
