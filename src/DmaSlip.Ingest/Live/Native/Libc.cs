using System.Runtime.InteropServices;

namespace DmaSlip.Ingest.Live.Native;

/// <summary>The few libc calls the live samplers need (Linux only; callers check <see cref="OperatingSystem.IsLinux"/>).</summary>
internal static unsafe partial class Libc
{
    public const int AfInet = 2;
    public const int SockDgram = 2;
    public const int SockCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* arg);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial nint Syscall5(nint number, void* a1, nint a2, nint a3, nint a4, nint a5);

    public static string Error(int errno) => errno switch
    {
        1 => "EPERM (operation not permitted)",
        2 => "ENOENT (no such event)",
        13 => "EACCES (permission denied)",
        19 => "ENODEV (no such device)",
        22 => "EINVAL (invalid argument)",
        24 => "EMFILE (too many open files)",
        95 => "EOPNOTSUPP (not supported by the driver)",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
