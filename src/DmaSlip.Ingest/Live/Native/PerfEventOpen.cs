using System.Runtime.InteropServices;

namespace DmaSlip.Ingest.Live.Native;

/// <summary>
/// perf_event_open(2) in counting mode (no sampling, no mmap): one file descriptor per (event, CPU), read as a u64
/// count. <c>struct perf_event_attr</c> is passed at PERF_ATTR_SIZE_VER5 (112 bytes): type, size, config, config1,
/// config2; everything else zero (enabled, kernel and user counted, no inherit).
/// </summary>
internal static unsafe class PerfEventOpen
{
    public const uint TypeTracepoint = 2;
    private const int AttrSize = 112;

    private static nint SyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 298,
        Architecture.Arm64 => 241,
        _ => -1,
    };

    /// <summary>Opens a system-wide counter on <paramref name="cpu"/>; the fd, or −1 with the reason.</summary>
    public static int Open(uint type, ulong config, ulong config1, ulong config2, int cpu, out string? error)
    {
        error = null;
        if (!OperatingSystem.IsLinux() || SyscallNumber < 0)
        {
            error = "perf_event_open needs Linux on x86-64 or arm64";
            return -1;
        }
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = type;
        *(uint*)(attr + 4) = AttrSize;
        *(ulong*)(attr + 8) = config;
        *(ulong*)(attr + 56) = config1;
        *(ulong*)(attr + 64) = config2;
        var fd = Libc.Syscall5(SyscallNumber, attr, -1, cpu, -1, 8 /* PERF_FLAG_FD_CLOEXEC */);
        if (fd < 0)
        {
            error = "perf_event_open: " + Libc.Error(Marshal.GetLastPInvokeError());
            return -1;
        }
        return (int)fd;
    }

    public static bool TryRead(int fd, out ulong value)
    {
        ulong v = 0;
        var n = Libc.Read(fd, &v, 8);
        value = v;
        return n == 8;
    }

    public static void Close(int fd) => Libc.Close(fd);
}
