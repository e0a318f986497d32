using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>ethtool -S DEV</c> snapshots: "NIC statistics:" then "     name: value" (ethtool.c do_gstats). Every counter
/// line lands in <c>host_counters</c> (source <c>ethtool</c>) under its driver name; <see cref="EthtoolName"/> splits
/// per-ring/per-queue names. Device from the file name <c>ethtool-S.&lt;dev&gt;.txt</c>.
/// </summary>
internal sealed class EthtoolStatsParser : SnapshotParser
{
    private string? _device;

    protected override void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx)
    {
        if (trimmed.EndsWith(" statistics:"u8))
        {
            return; // header
        }
        var colon = trimmed.LastIndexOf(": "u8);
        if (colon <= 0 || !Ascii.TryDouble(Ascii.Trim(trimmed[(colon + 2)..]), out var value))
        {
            ctx.Quarantine(offset, "ethtool -S: expected 'name: value'", raw);
            return;
        }
        _device ??= DeviceFromName(ctx.Path, "ethtool-S");
        var name = ctx.Strings.Get(Ascii.Trim(trimmed[..colon]));
        ctx.Add(new HostCounter(tsNs, ctx.RequireHost(), "ethtool", _device, name, value));
        ctx.Record();
    }
}

/// <summary>Per-queue ethtool counter names: mlx5 <c>rx3_pp_alloc_slow</c>, <c>ch3_poll</c>; ice <c>rx_queue_3_packets</c>.</summary>
public static class EthtoolName
{
    /// <summary>Splits a per-queue counter name into queue and queue-less name (<c>rx3_packets</c> → 3, <c>rx_packets</c>).</summary>
    public static bool TryParse(string name, out int queue, out string baseName)
    {
        queue = -1;
        baseName = name;
        foreach (var dir in (ReadOnlySpan<string>)["rx_queue_", "tx_queue_"])
        {
            if (name.StartsWith(dir, StringComparison.Ordinal))
            {
                var rest = name.AsSpan(dir.Length);
                var u = rest.IndexOf('_');
                if (u > 0 && int.TryParse(rest[..u], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out queue))
                {
                    baseName = string.Concat(dir.AsSpan(0, 2), rest[u..]);
                    return true;
                }
            }
        }
        foreach (var dir in (ReadOnlySpan<string>)["rx", "tx", "ch"])
        {
            if (name.StartsWith(dir, StringComparison.Ordinal) && name.Length > 3 && char.IsAsciiDigit(name[2]))
            {
                var i = 2;
                while (i < name.Length && char.IsAsciiDigit(name[i]))
                {
                    i++;
                }
                if (i < name.Length && name[i] == '_'
                    && int.TryParse(name.AsSpan(2, i - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out queue))
                {
                    baseName = string.Concat(dir, name.AsSpan(i));
                    return true;
                }
            }
        }
        queue = -1;
        return false;
    }
}
