using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// The small host-config files: <c>ethtool -i</c> ("key: value"; driver, version, firmware-version, bus-info used),
/// <c>/proc/cmdline</c>, <c>uname -r</c>, <c>/sys/kernel/iommu_groups/N/type</c>, <c>/sys/class/net/DEV/device/numa_node</c>.
/// Each value line is a record; the facts go into a <see cref="HostConfig"/>.
/// </summary>
internal sealed class HostConfigParser(HostConfig config, string format, string path) : IFormatParser
{
    private static readonly string[] IommuTypes = ["DMA", "DMA-FQ", "identity", "unmanaged", "blocked", "unknown"];

    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input);
        while (reader.TryRead(out var line, out var offset, out _))
        {
            var t = Ascii.Trim(line);
            if (t.IsEmpty || t[0] == '#')
            {
                continue;
            }
            var text = Ascii.Text(t);
            var ok = format switch
            {
                Formats.EthtoolInfo => EthtoolInfo(text, ctx),
                Formats.Cmdline => Set(() => config.Cmdline = text),
                Formats.UnameR => char.IsAsciiDigit(text[0]) && !text.Contains(' ', StringComparison.Ordinal) && Set(() => config.Kernel = text),
                Formats.IommuGroupType => IommuTypes.Contains(text) && Set(() => config.GroupTypes[GroupOf(path)] = text),
                Formats.NumaNode => int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var node)
                    && Set(() => config.Nic(NetDeviceOf(path)).NumaNode = node),
                _ => false,
            };
            if (ok is null)
            {
                ctx.Skip();
            }
            else if (ok.Value)
            {
                ctx.Record();
            }
            else
            {
                ctx.Quarantine(offset, $"{format}: unexpected line", line);
            }
        }
    }

    private static bool Set(Action a)
    {
        a();
        return true;
    }

    private bool? EthtoolInfo(string text, FileContext ctx)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        var key = text[..colon].Trim();
        var value = text[(colon + 1)..].Trim();
        var device = DeviceFromFile(path);
        var nic = config.Nic(device);
        switch (key)
        {
            case "driver": nic.Driver = value; return true;
            case "version": nic.Version = value; return true;
            case "firmware-version": nic.Firmware = value; return true;
            case "bus-info": nic.BusInfo = value; return true;
            default: return null; // expansion-rom-version, supports-* ...: well-formed, not used
        }
    }

    private static string DeviceFromFile(string p)
    {
        var name = Path.GetFileName(p);
        const string prefix = "ethtool-i.";
        if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = name[prefix.Length..];
            return rest.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? rest[..^4] : rest;
        }
        return "";
    }

    private static string GroupOf(string p) => Path.GetFileName(Path.GetDirectoryName(p)) ?? "";

    // .../net/<dev>/device/numa_node
    private static string NetDeviceOf(string p)
    {
        var parts = p.Replace('\\', '/').Split('/');
        var i = Array.LastIndexOf(parts, "net");
        return i >= 0 && i + 1 < parts.Length ? parts[i + 1] : "";
    }
}
