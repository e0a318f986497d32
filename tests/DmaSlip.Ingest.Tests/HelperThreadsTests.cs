using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Tests;

/// <summary>A helper thread lowers its own priority and only its own (<see cref="HelperThreads.Yield"/>).</summary>
public sealed class HelperThreadsTests
{
    // Field 19 of /proc/[pid]/task/[tid]/stat (and of thread-self's) is the nice value; the command name (field 2) is
    // in parentheses and may hold spaces, so fields are counted after its closing parenthesis.
    private static int Nice(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Yield_raises_the_nice_value_of_the_calling_thread_and_not_of_the_others()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere Yield does nothing by design
        }
        var before = Nice("/proc/thread-self/stat");
        int inside = 0, other = 0;
        var thread = new Thread(() =>
        {
            var own = Nice("/proc/thread-self/stat");
            HelperThreads.Yield();
            inside = Nice("/proc/thread-self/stat") - own;
        });
        thread.Start();
        thread.Join();
        other = Nice("/proc/thread-self/stat") - before;
        Assert.Equal(Math.Min(HelperThreads.NiceIncrement, 19 - before), inside);
        Assert.Equal(0, other);
    }
}
