using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>/sys/kernel/debug/iommu/intel/dmar_perf_latency</c> snapshots (drivers/iommu/intel/perf.c): per IOMMU block
/// "IOMMU: dmarN Register Base Address: X", a header, then rows "inv_iotlb" + 7 bucket counts + min/max/avg µs.
/// Counts are cumulative since enable, so each row also yields <c>&lt;row&gt;.samples_per_s</c> from the delta of the
/// sample total against the previous snapshot of the same row (none on the first snapshot or after a reset).
/// </summary>
internal sealed class DmarLatencyParser : SnapshotParser
{
    public static readonly string[] ColumnNames =
        ["lt_100ns", "100ns_1us", "1us_10us", "10us_100us", "100us_1ms", "1ms_10ms", "ge_10ms", "min_us", "max_us", "avg_us"];

    /// <summary>Representative latency (ns) of each bucket, for turning bucket deltas into events: the bucket's geometric middle.</summary>
    public static readonly long[] BucketMidNs = [50, 316, 3_162, 31_623, 316_228, 3_162_278, 10_000_000];

    private readonly Dictionary<(string Device, string Row), (long Ts, long Samples)> _previous = [];
    private string _device = "";

    protected override void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx)
    {
        if (trimmed.StartsWith("IOMMU:"u8))
        {
            var pos = 6;
            var unit = Ascii.NextToken(trimmed, ref pos);
            if (unit.IsEmpty)
            {
                ctx.Quarantine(offset, "dmar_perf_latency: expected 'IOMMU: dmarN Register Base Address: X'", raw);
                return;
            }
            _device = ctx.Strings.Get(unit);
            return;
        }
        if (trimmed.IndexOf("<0.1us"u8) >= 0)
        {
            return; // column header
        }
        var p = 0;
        var name = Ascii.NextToken(trimmed, ref p);
        Span<long> v = stackalloc long[10];
        var n = 0;
        while (true)
        {
            var tok = Ascii.NextToken(trimmed, ref p);
            if (tok.IsEmpty)
            {
                break;
            }
            if (n == 10 || !Ascii.TryLong(tok, out v[n]))
            {
                n = -1;
                break;
            }
            n++;
        }
        if (n != 10 || name.IsEmpty || Ascii.IsDigit(name[0]))
        {
            ctx.Quarantine(offset, "dmar_perf_latency: expected a row name and 10 integer columns", raw);
            return;
        }
        var host = ctx.RequireHost();
        var row = ctx.Strings.Get(name);
        long samples = 0;
        for (var i = 0; i < 10; i++)
        {
            ctx.Add(new HostCounter(tsNs, host, "dmar_perf_latency", _device, row + "." + ColumnNames[i], v[i]));
            if (i < 7)
            {
                samples += v[i];
            }
        }
        ctx.Add(new HostCounter(tsNs, host, "dmar_perf_latency", _device, row + ".samples", samples));
        if (_previous.TryGetValue((_device, row), out var prev) && tsNs > prev.Ts && samples >= prev.Samples)
        {
            var rate = (samples - prev.Samples) / ((tsNs - prev.Ts) / 1e9);
            ctx.Add(new HostCounter(tsNs, host, "dmar_perf_latency", _device, row + ".samples_per_s", rate));
        }
        _previous[(_device, row)] = (tsNs, samples);
        ctx.Record();
    }
}
