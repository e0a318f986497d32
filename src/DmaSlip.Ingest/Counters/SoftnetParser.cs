using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>/proc/net/softnet_stat</c>: one line per online CPU, 9 (kernels before 2.6.36), 10, 11, 13 or 15 columns of <c>%08x</c> (net-procfs.c).
/// Column 13 (5.10+) is the CPU index; with fewer columns the CPU is the line's position in the snapshot (offline
/// CPUs are not printed, so this is only exact when all CPUs are online). Device = <c>cpu&lt;N&gt;</c>.
/// </summary>
internal sealed class SoftnetParser : SnapshotParser
{
    /// <summary>Names of the columns (1-based) that carry data; columns 4–9 are always zero.</summary>
    public static readonly (int Column, string Name)[] Columns =
    [
        (1, "processed"), (2, "dropped"), (3, "time_squeeze"), (10, "received_rps"), (11, "flow_limit_count"),
        (12, "backlog_len"), (14, "input_pkt_queue_len"), (15, "process_queue_len"),
    ];

    public static bool LooksLikeSoftnet(ReadOnlySpan<byte> t) => TryParse(t, out _, out _);

    /// <summary>Parses one line into up to 15 column values; false when it is not a softnet_stat line.</summary>
    public static bool TryParse(ReadOnlySpan<byte> t, out long[] values, out int count)
    {
        values = new long[15];
        count = 0;
        var pos = 0;
        while (true)
        {
            var tok = Ascii.NextToken(t, ref pos);
            if (tok.IsEmpty)
            {
                break;
            }
            if (count == 15 || tok.Length != 8 || !Ascii.TryHex(tok, out var v))
            {
                return false;
            }
            values[count++] = (long)v;
        }
        return count is 9 or 10 or 11 or 13 or 15;
    }

    protected override void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx)
    {
        if (!TryParse(trimmed, out var v, out var n))
        {
            ctx.Quarantine(offset, "softnet_stat: expected 9, 10, 11, 13 or 15 columns of 8 hex digits", raw);
            return;
        }
        var host = ctx.RequireHost();
        var cpu = n >= 13 ? v[12] : index;
        var device = "cpu" + cpu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (col, name) in Columns)
        {
            if (col <= n)
            {
                ctx.Add(new HostCounter(tsNs, host, "softnet_stat", device, name, v[col - 1]));
            }
        }
        ctx.Record();
    }
}
