using System.Globalization;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using Ascii = DmaSlip.Ingest.Internal.Ascii;

namespace DmaSlip.Ingest.Live;

/// <summary><c>/proc/net/dev</c>: per-interface rx/tx packets, bytes, drops (source <c>proc_net_dev</c>).</summary>
internal sealed class NetDevSampler(LiveSamplerOptions o) : IHostSampler, IDisposable
{
    private static readonly string[] Names = ["rx_bytes", "rx_packets", "rx_errs", "rx_drop", "rx_fifo", "rx_frame", "rx_compressed", "rx_multicast",
        "tx_bytes", "tx_packets", "tx_errs", "tx_drop", "tx_fifo", "tx_colls", "tx_carrier", "tx_compressed"];

    private readonly ProcFile _file = new(Path.Combine(o.ProcRoot, "net", "dev"));
    private readonly List<(byte[] Bytes, string Text)> _names = [];

    public string Name => "procfs:/proc/net/dev";

    public SourceStatus Probe() => Files.Probe(Name, _file.Path);

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var text = _file.Read();
        while (!text.IsEmpty)
        {
            var nl = text.IndexOf((byte)'\n');
            var line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? default : text[(nl + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue; // the two header lines
            }
            var dev = Intern(Ascii.Trim(line[..colon]));
            if (dev == "lo" || (o.Devices is not null && !o.Devices.Contains(dev)))
            {
                continue;
            }
            var rest = line[(colon + 1)..];
            var pos = 0;
            for (var i = 0; i < Names.Length; i++)
            {
                var tok = Ascii.NextToken(rest, ref pos);
                if (tok.IsEmpty)
                {
                    break;
                }
                if (Ascii.TryLong(tok, out var v))
                {
                    into.Add(new HostCounter(tsNs, host, "proc_net_dev", dev, Names[i], v));
                }
            }
        }
    }

    private string Intern(ReadOnlySpan<byte> name)
    {
        foreach (var (bytes, text) in _names)
        {
            if (name.SequenceEqual(bytes))
            {
                return text;
            }
        }
        var s = Encoding.ASCII.GetString(name);
        _names.Add((name.ToArray(), s));
        return s;
    }

    public void Dispose() => _file.Dispose();
}

/// <summary><c>/proc/net/softnet_stat</c> (source <c>softnet_stat</c>, device <c>cpu&lt;N&gt;</c>), via the ingest parser's line reader.</summary>
internal sealed class SoftnetSampler(LiveSamplerOptions o) : IHostSampler, IDisposable
{
    private readonly ProcFile _file = new(Path.Combine(o.ProcRoot, "net", "softnet_stat"));
    private readonly List<string> _cpus = [];

    public string Name => "procfs:/proc/net/softnet_stat";

    public SourceStatus Probe() => Files.Probe(Name, _file.Path);

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        var text = _file.Read();
        var index = 0;
        while (!text.IsEmpty)
        {
            var nl = text.IndexOf((byte)'\n');
            var line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? default : text[(nl + 1)..];
            if (!SoftnetParser.TryParse(line, out var v, out var n))
            {
                continue;
            }
            var cpu = Cpu(n >= 13 ? (int)v[12] : index);
            index++;
            foreach (var (col, name) in SoftnetParser.Columns)
            {
                if (col <= n)
                {
                    into.Add(new HostCounter(tsNs, host, "softnet_stat", cpu, name, v[col - 1]));
                }
            }
        }
    }

    private string Cpu(int n)
    {
        while (_cpus.Count <= n)
        {
            _cpus.Add("cpu" + _cpus.Count.ToString(CultureInfo.InvariantCulture));
        }
        return _cpus[n];
    }

    public void Dispose() => _file.Dispose();
}

internal static class Files
{
    public static SourceStatus Probe(string name, string path, string? privilege = null)
    {
        try
        {
            using var fs = File.OpenRead(path);
            return new SourceStatus(name, true, "readable", privilege);
        }
        catch (FileNotFoundException)
        {
            return new SourceStatus(name, false, $"{path} does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            return new SourceStatus(name, false, $"{path} does not exist");
        }
        catch (UnauthorizedAccessException)
        {
            return new SourceStatus(name, false, $"{path}: permission denied", privilege ?? "read access to the file");
        }
        catch (IOException ex)
        {
            return new SourceStatus(name, false, $"{path}: {ex.Message}");
        }
    }

    /// <summary>Effective uid 0, from /proc/self/status ("Uid: real effective saved fs").</summary>
    public static bool IsRoot(string procRoot)
    {
        try
        {
            var uid = File.ReadLines(Path.Combine(procRoot, "self", "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var parts = uid?.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return parts is { Length: >= 3 } && parts[2] == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }
}
