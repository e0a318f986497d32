using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>ethtool -S DEV</c> snapshots: "NIC statistics:" then "     name: value" (ethtool.c do_gstats). Every counter
/// line lands in <c>host_counters</c> (source <c>ethtool</c>) under its driver name; <see cref="EthtoolName"/> splits
/// per-ring/per-queue names. The device is what the dump itself says (an echoed <c>ethtool -S DEV</c> command line,
/// which may start several devices' blocks in one file), else <c>--device</c>, the file name
/// <c>ethtool-S.&lt;dev&gt;.txt</c>, or the one <c>ethtool -i</c> file beside it (its <c>ethtool-i.&lt;dev&gt;</c>
/// name, else its bus-info). Sources that disagree, no device at all, or a second "NIC statistics:" block in one
/// snapshot without a line naming its device are refused (the file lands nothing): two NICs must never merge into one
/// key. A counter repeated within one device's snapshot is skipped with a warning, so every record is a stored row.
/// </summary>
internal sealed class EthtoolStatsParser : SnapshotParser
{
    private string? _fixedDevice;
    private bool _resolved;
    private string? _device;
    private bool _named;
    private readonly HashSet<(string Device, string Name)> _seen = [];
    private readonly HashSet<string> _blocks = new(StringComparer.Ordinal);

    protected override void OnSnapshot()
    {
        _seen.Clear();
        _blocks.Clear();
    }

    protected override void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx)
    {
        if (!_resolved)
        {
            _fixedDevice = FixedDevice(ctx);
            _resolved = true;
        }
        if (TryCommandDevice(trimmed, out var named))
        {
            var dev = ctx.Strings.Get(named);
            if (_fixedDevice is not null && _fixedDevice != dev)
            {
                throw new IngestException($"{ctx.Path}: the dump names device {dev} but {FixedSource(ctx)} says {_fixedDevice}; refusing to merge two devices");
            }
            _device = dev;
            _named = true;
            return;
        }
        if (trimmed.EndsWith(" statistics:"u8))
        {
            var key = _device ?? _fixedDevice ?? "";
            if (!_blocks.Add(key))
            {
                throw new IngestException($"{ctx.Path}: a second 'NIC statistics:' block in one snapshot without an 'ethtool -S DEV' line naming its device (byte {offset}); refusing to merge two devices — split the file per device or echo the command before each block");
            }
            return; // header
        }
        var colon = trimmed.LastIndexOf(": "u8);
        if (colon <= 0 || !Ascii.TryDouble(Ascii.Trim(trimmed[(colon + 2)..]), out var value))
        {
            ctx.Quarantine(offset, "ethtool -S: expected 'name: value'", raw);
            return;
        }
        var device = _named ? _device! : _fixedDevice ?? throw new IngestException(
            $"{ctx.Path}: no device for ethtool -S data: pass --device, name the file ethtool-S.<dev>.txt, put one ethtool -i file beside it, or keep the 'ethtool -S DEV' line in the dump");
        var name = ctx.Strings.Get(Ascii.Trim(trimmed[..colon]));
        if (!_seen.Add((device, name)))
        {
            ctx.Warn(offset, $"ethtool -S: counter {name} of {device} repeated in one snapshot; the first value is kept");
            ctx.Skip();
            return;
        }
        ctx.Add(new HostCounter(tsNs, ctx.RequireHost(), "ethtool", device, name, value));
        ctx.Record();
    }

    /// <summary>"ethtool -S eth0" / "ethtool --statistics eth0" anywhere in the line (a shell prompt may precede it).</summary>
    private static bool TryCommandDevice(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> device)
    {
        device = default;
        var at = line.IndexOf("ethtool -S "u8);
        var len = 11;
        if (at < 0)
        {
            at = line.IndexOf("ethtool --statistics "u8);
            len = 21;
        }
        if (at < 0)
        {
            return false;
        }
        var pos = at + len;
        device = Ascii.NextToken(line, ref pos);
        return !device.IsEmpty;
    }

    private static string? FixedDevice(FileContext ctx)
    {
        var fromName = DeviceFromName(ctx.Path, "ethtool-S");
        var fromFlag = ctx.Device;
        if (fromName.Length > 0 && fromFlag is not null && fromName != fromFlag)
        {
            throw new IngestException($"{ctx.Path}: --device {fromFlag} but the file name says {fromName}; refusing to merge two devices");
        }
        return fromFlag ?? (fromName.Length > 0 ? fromName : DeviceBeside(ctx.Path));
    }

    private static string FixedSource(FileContext ctx) =>
        ctx.Device is not null ? "--device" : DeviceFromName(ctx.Path, "ethtool-S").Length > 0 ? "the file name" : "the ethtool -i file beside it";

    /// <summary>The device of the one <c>ethtool -i</c> file in the same folder: its file name, else its bus-info.</summary>
    private static string? DeviceBeside(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is null)
        {
            return null;
        }
        string? found = null;
        var count = 0;
        foreach (var f in Directory.EnumerateFiles(dir))
        {
            if (f == Path.GetFullPath(path) || new FileInfo(f).Length > 64 * 1024)
            {
                continue;
            }
            string[] lines;
            try
            {
                lines = File.ReadAllLines(f);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var first = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
            if (first is null || !first.StartsWith("driver:", StringComparison.Ordinal))
            {
                continue;
            }
            count++;
            var byName = DeviceFromName(f, "ethtool-i");
            var bus = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("bus-info:", StringComparison.Ordinal))?["bus-info:".Length..].Trim();
            found = byName.Length > 0 ? byName : string.IsNullOrEmpty(bus) ? null : bus;
        }
        return count == 1 ? found : null;
    }
}

/// <summary>Per-queue ethtool counter names: mlx5 <c>rx3_pp_alloc_slow</c>, <c>ch3_poll</c>; ice <c>rx_queue_3_packets</c>.</summary>
internal static class EthtoolName
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
