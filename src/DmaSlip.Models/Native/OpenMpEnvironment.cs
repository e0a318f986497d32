using System.Runtime.InteropServices;

namespace DmaSlip.Models.Native;

/// <summary>
/// LightGBM parallelizes with OpenMP (libgomp). libgomp's default wait policy spins at barriers; when the cores are
/// shared (a trading host's analysis box, CI, several jobs) a spinning thread burns the time slice the other thread
/// needs, and a 2-thread fit measured here ran 9× slower than a 1-thread one. Setting <c>OMP_WAIT_POLICY=PASSIVE</c>
/// in the native environment before libgomp initializes (it reads the variable once, when lib_lightgbm is loaded)
/// makes waiting threads sleep. A value the user set is respected. .NET's Environment.SetEnvironmentVariable does not
/// reach the native environment on Unix, hence libc's setenv.
/// </summary>
internal static partial class OpenMpEnvironment
{
    private static int _done;

    public static void Ensure()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1 || !OperatingSystem.IsLinux())
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
