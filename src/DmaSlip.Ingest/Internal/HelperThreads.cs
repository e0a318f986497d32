using System.Runtime.InteropServices;

namespace DmaSlip.Ingest.Internal;

/// <summary>
/// Scheduling of an ingest's helper threads (the trace parse's reader and workers). The calling thread is the critical
/// path of a trace ingest: it delivers the parsed chunks in file order and runs DuckDB's single-threaded storage work.
/// The helpers have slack (chunks queue ahead of it, and it parses queued chunks itself when the oldest is not ready),
/// yet under Linux's fair scheduler five runnable threads on two cores give the calling thread two fifths of the
/// machine. A helper calls <see cref="Yield"/> as it starts: on Linux its nice value rises by
/// <see cref="NiceIncrement"/> (a thread may always lower its own priority), so it runs when the calling thread and the
/// file's hash (one piece of work the commit waits for, left at the normal priority) do not need the core. Elsewhere,
/// or when refused, nothing changes.
/// </summary>
internal static partial class HelperThreads
{
    /// <summary>Nice steps above the process: weight 1024 → 335 under CFS, a third of the calling thread's share.</summary>
    public const int NiceIncrement = 5;

    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread's priority (see the class summary).</summary>
    public static void Yield()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // who = 0 is the calling thread: on Linux (NPTL) the nice value is per thread and the kernel resolves
        // PRIO_PROCESS/0 to `current` (kernel/sys.c), so no thread id and no per-architecture syscall number is needed.
        Marshal.SetLastPInvokeError(0);
        var nice = GetPriority(PrioProcess, 0);
        if (nice == -1 && Marshal.GetLastPInvokeError() != 0)
        {
            return;
        }
        _ = SetPriority(PrioProcess, 0, Math.Min(19, nice + NiceIncrement));
    }

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
