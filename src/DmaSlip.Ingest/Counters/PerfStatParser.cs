using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>perf stat -x SEP [-I ms] -a -e dmarN/…/,amd_iommu_N/…/</c> CSV (perf-stat(1) "CSV FORMAT"): [interval ts,]
/// [aggregation id, #cpus,] value, unit, event, run time, run %, .... IOMMU PMU events (<c>dmar*/</c>,
/// <c>amd_iommu_*/</c>) become counters (source <c>perf_stat</c>, device = PMU, name = text between the slashes); other
/// events and <c>&lt;not counted&gt;</c>/<c>&lt;not supported&gt;</c> values are skipped. Event text may contain the separator
/// (<c>dmar1/iommu_requests,filter_ats_en=0x1/</c>), so the event field runs to the closing slash.
/// Tracepoint counts of the IOMMU/NAPI/net path (<c>iommu:</c>, <c>intel_iommu:</c>, <c>dma:</c>, <c>napi:</c>, <c>net:</c>,
/// <c>irq:</c>) become counters with name = the tracepoint and device = <c>cpuN</c> under <c>-A</c> (per-CPU), else <c>all</c>.
/// Interval timestamps are offsets from "# started on" (read as UTC), else from --ts or the file's mtime.
/// </summary>
internal sealed class PerfStatParser : IFormatParser
{
    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input);
        var baseTs = ctx.SnapshotTsNs;
        var fields = new List<string>(16);
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
            if (overlong || !TrySplit(t, fields, out var tsOffset, out var value, out var pmu, out var evt, out var cpu))
            {
                ctx.Quarantine(offset, "perf stat -x: expected [ts,]value,unit,event,...", line);
                continue;
            }
            if (pmu is null || value is null)
            {
                ctx.Skip();
                continue;
            }
            ctx.Add(new HostCounter(baseTs + tsOffset, ctx.RequireHost(), "perf_stat", pmu == Tracepoint ? cpu ?? "all" : pmu, evt!, value.Value));
            ctx.Record();
        }
    }

    private const string Tracepoint = "\0tracepoint";

    private static readonly string[] TracepointSystems = ["iommu:", "intel_iommu:", "dma:", "napi:", "net:", "irq:"];

    private static bool TrySplit(ReadOnlySpan<byte> t, List<string> fields, out long tsOffset, out double? value, out string? pmu, out string? evt, out string? cpu)
    {
        tsOffset = 0;
        value = null;
        pmu = evt = cpu = null;
        var sep = t.IndexOf((byte)';') >= 0 ? ';' : ',';
        fields.Clear();
        fields.AddRange(Ascii.Text(t).Split(sep));
        var i = 0;
        if (fields.Count > 0 && fields[0].Contains('.', StringComparison.Ordinal) && Ascii.TrySecondsToNs(System.Text.Encoding.ASCII.GetBytes(fields[0].Trim()), out var off))
        {
            tsOffset = off;
            i = 1;
        }
        // aggregation columns of -A / --per-socket / --per-core: "CPU3" or "S0-D0-C1", then a cpu count
        if (i < fields.Count && (fields[i].StartsWith("CPU", StringComparison.Ordinal) || (fields[i].StartsWith('S') && fields[i].Contains('-', StringComparison.Ordinal))))
        {
            if (fields[i].StartsWith("CPU", StringComparison.Ordinal))
            {
                cpu = "cpu" + fields[i][3..].Trim();
                i += 1;
            }
            else
            {
                i += 2;
            }
        }
        if (i + 2 >= fields.Count)
        {
            return false;
        }
        var v = fields[i].Trim();
        if (v is "<not counted>" or "<not supported>")
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
        if (slash > 0 && slash < e.Length - 1 && IsIommuPmu(e.AsSpan(0, slash)))
        {
            pmu = e[..slash];
            evt = e[(slash + 1)..^1];
        }
        else if (slash < 0 && IsTracepoint(e))
        {
            pmu = Tracepoint;
            evt = e;
        }
        return true;
    }

    private static bool IsTracepoint(string e)
    {
        foreach (var sys in TracepointSystems)
        {
            if (e.StartsWith(sys, StringComparison.Ordinal) && e.Length > sys.Length)
            {
                return true;
            }
        }
        return false;
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
