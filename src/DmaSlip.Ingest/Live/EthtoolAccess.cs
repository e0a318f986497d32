using System.Globalization;
using DmaSlip.Ingest.Live.Native;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// How ethtool data is read here: the SIOCETHTOOL ioctl (no binary, no fork), else the <c>ethtool</c> binary when it is
/// installed, else (for a recorded tree) the saved <c>ethtool -S</c> / <c>ethtool -i</c> outputs. One instance per
/// sampler set; <see cref="Dispose"/> closes the ioctl socket.
/// </summary>
internal sealed class EthtoolAccess : IDisposable
{
    private readonly LiveSamplerOptions _o;
    private readonly EthtoolIoctl? _ioctl;
    private readonly string? _binary;
    private readonly List<(string Name, ulong Value)> _scratch = [];

    public EthtoolAccess(LiveSamplerOptions o)
    {
        _o = o;
        if (o.Recorded)
        {
            Method = "recorded ethtool outputs";
            return;
        }
        _ioctl = EthtoolIoctl.TryOpen(out var error);
        _binary = Tool.Find(o.Ethtool ?? "ethtool");
        Method = _ioctl is not null ? "SIOCETHTOOL ioctl" : _binary is not null ? "ethtool binary" : "none: " + error;
    }

    public string Method { get; }

    /// <summary>The driver's statistics of one NIC; false with the reason when there are none.</summary>
    public bool Statistics(string nic, List<(string Name, double Value)> into, out string? error)
    {
        error = null;
        if (_o.Recorded)
        {
            var text = ReadRecorded(nic + ".S");
            if (text is null)
            {
                error = $"no recorded ethtool -S output for {nic}";
                return false;
            }
            ParseStatistics(text, into);
            return true;
        }
        if (_ioctl is not null)
        {
            _scratch.Clear();
            if (_ioctl.Statistics(nic, _scratch, out error))
            {
                foreach (var (name, value) in _scratch)
                {
                    into.Add((name, value));
                }
                return true;
            }
        }
        if (_binary is not null && Tool.Run(_binary, ["-S", nic]) is { } output)
        {
            ParseStatistics(output, into);
            return true;
        }
        error ??= "ethtool is not installed and the ioctl is unavailable";
        return false;
    }

    /// <summary>Driver, version, firmware and bus address (ETHTOOL_GDRVINFO / <c>ethtool -i</c>), or null.</summary>
    public EthtoolDriverInfo? DriverInfo(string nic)
    {
        if (_o.Recorded)
        {
            return ReadRecorded(nic + ".i") is { } text ? ParseInfo(text) : null;
        }
        if (_ioctl?.DriverInfo(nic, out _) is { } info)
        {
            return info;
        }
        return _binary is not null && Tool.Run(_binary, ["-i", nic]) is { } output ? ParseInfo(output) : null;
    }

    private string? ReadRecorded(string file)
    {
        var path = _o.RecordedEthtoolDir is null ? null : Path.Combine(_o.RecordedEthtoolDir, file);
        return path is not null && File.Exists(path) ? File.ReadAllText(path) : null;
    }

    internal static void ParseStatistics(string text, List<(string Name, double Value)> into)
    {
        foreach (var line in text.Split('\n'))
        {
            var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && double.TryParse(line[(colon + 2)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                into.Add((line[..colon].Trim(), v));
            }
        }
    }

    internal static EthtoolDriverInfo? ParseInfo(string text)
    {
        var kv = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                kv[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return kv.TryGetValue("driver", out var driver)
            ? new EthtoolDriverInfo(driver, kv.GetValueOrDefault("version", ""), kv.GetValueOrDefault("firmware-version", ""), kv.GetValueOrDefault("bus-info", ""))
            : null;
    }

    public void Dispose() => _ioctl?.Dispose();
}
