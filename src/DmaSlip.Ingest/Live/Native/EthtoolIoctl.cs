using System.Runtime.InteropServices;
using System.Text;

namespace DmaSlip.Ingest.Live.Native;

/// <summary>What ETHTOOL_GDRVINFO says about a NIC (the <c>ethtool -i</c> fields).</summary>
internal sealed record EthtoolDriverInfo(string Driver, string Version, string Firmware, string BusInfo);

/// <summary>
/// The <c>SIOCETHTOOL</c> ioctl on an AF_INET datagram socket (linux/ethtool.h): ETHTOOL_GDRVINFO, ETHTOOL_GSSET_INFO,
/// ETHTOOL_GSTRINGS and ETHTOOL_GSTATS — what <c>ethtool -i</c> and <c>ethtool -S</c> do, without the binary and
/// without a fork per sample. The get commands need no privilege. The stat names are read once per NIC and cached
/// (a driver's string set does not change while it is bound; a changed count re-reads them).
/// </summary>
internal sealed unsafe class EthtoolIoctl : IDisposable
{
    private const nuint SiocEthtool = 0x8946;
    private const uint GDrvInfo = 0x03;
    private const uint GStrings = 0x1b;
    private const uint GStats = 0x1d;
    private const uint GSsetInfo = 0x37;
    private const int EthSsStats = 1;
    private const int StringLength = 32;
    private const int IfNameSize = 16;

    private readonly int _fd;
    private readonly Dictionary<string, string[]> _names = new(StringComparer.Ordinal);

    private EthtoolIoctl(int fd) => _fd = fd;

    /// <summary>Opens the control socket; null (with the reason) when the platform or the kernel refuses.</summary>
    public static EthtoolIoctl? TryOpen(out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            error = "not Linux";
            return null;
        }
        var fd = Libc.Socket(Libc.AfInet, Libc.SockDgram | Libc.SockCloexec, 0);
        if (fd < 0)
        {
            error = "socket(AF_INET, SOCK_DGRAM): " + Libc.Error(Marshal.GetLastPInvokeError());
            return null;
        }
        return new EthtoolIoctl(fd);
    }

    public EthtoolDriverInfo? DriverInfo(string device, out string? error)
    {
        const int size = 196;
        var buf = (byte*)NativeMemory.AllocZeroed(size);
        try
        {
            *(uint*)buf = GDrvInfo;
            if (!Call(device, buf, out error))
            {
                return null;
            }
            return new EthtoolDriverInfo(Str(buf + 4, 32), Str(buf + 36, 32), Str(buf + 68, 32), Str(buf + 100, 32));
        }
        finally
        {
            NativeMemory.Free(buf);
        }
    }

    /// <summary>Appends (name, value) of every ETH_SS_STATS counter of <paramref name="device"/>; false with the reason when the driver has none.</summary>
    public bool Statistics(string device, List<(string Name, ulong Value)> into, out string? error)
    {
        // The string set is read once per NIC; GSTATS answers with its own count, and a different one re-reads it.
        if (!_names.TryGetValue(device, out var names))
        {
            var n0 = StatCount(device, out error);
            if (n0 <= 0)
            {
                error ??= "the driver reports no statistics";
                return false;
            }
            names = Strings(device, n0, out error);
            if (names is null)
            {
                return false;
            }
            _names[device] = names;
        }
        var count = names.Length;
        var size = 8 + (8 * count);
        var buf = (byte*)NativeMemory.AllocZeroed((nuint)size);
        try
        {
            *(uint*)buf = GStats;
            *(uint*)(buf + 4) = (uint)count;
            if (!Call(device, buf, out error))
            {
                return false;
            }
            var n = (int)*(uint*)(buf + 4);
            if (n != count)
            {
                _names.Remove(device); // the driver's set changed (reload, channels changed): names again next round
                error = $"{device}: statistics count changed from {count} to {n}";
                return false;
            }
            var values = (ulong*)(buf + 8);
            for (var i = 0; i < n; i++)
            {
                into.Add((names[i], values[i]));
            }
            return true;
        }
        finally
        {
            NativeMemory.Free(buf);
        }
    }

    private int StatCount(string device, out string? error)
    {
        var buf = (byte*)NativeMemory.AllocZeroed(24);
        try
        {
            *(uint*)buf = GSsetInfo;
            *(ulong*)(buf + 8) = 1UL << EthSsStats;
            if (!Call(device, buf, out error))
            {
                return -1;
            }
            return (*(ulong*)(buf + 8) & (1UL << EthSsStats)) == 0 ? 0 : (int)*(uint*)(buf + 16);
        }
        finally
        {
            NativeMemory.Free(buf);
        }
    }

    private string[]? Strings(string device, int count, out string? error)
    {
        var size = 12 + (StringLength * count);
        var buf = (byte*)NativeMemory.AllocZeroed((nuint)size);
        try
        {
            *(uint*)buf = GStrings;
            *(uint*)(buf + 4) = EthSsStats;
            *(uint*)(buf + 8) = (uint)count;
            if (!Call(device, buf, out error))
            {
                return null;
            }
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = Str(buf + 12 + (i * StringLength), StringLength);
            }
            return names;
        }
        finally
        {
            NativeMemory.Free(buf);
        }
    }

    private bool Call(string device, byte* data, out string? error)
    {
        error = null;
        var name = Encoding.ASCII.GetBytes(device);
        if (name.Length >= IfNameSize)
        {
            error = $"interface name '{device}' is longer than {IfNameSize - 1} bytes";
            return false;
        }
        // struct ifreq: char ifr_name[IFNAMSIZ]; union { ...; void *ifr_data; } — 40 bytes on 64-bit Linux.
        var ifr = stackalloc byte[40];
        new Span<byte>(ifr, 40).Clear();
        name.CopyTo(new Span<byte>(ifr, IfNameSize));
        *(byte**)(ifr + IfNameSize) = data;
        if (Libc.Ioctl(_fd, SiocEthtool, ifr) < 0)
        {
            error = $"SIOCETHTOOL on {device}: " + Libc.Error(Marshal.GetLastPInvokeError());
            return false;
        }
        return true;
    }

    private static string Str(byte* p, int max)
    {
        var span = new ReadOnlySpan<byte>(p, max);
        var end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]).Trim();
    }

    public void Dispose() => Libc.Close(_fd);
}
