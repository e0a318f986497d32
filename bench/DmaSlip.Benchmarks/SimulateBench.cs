using System.Diagnostics;
using System.Globalization;
using DmaSlip.Simulation;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/DmaSlip.Benchmarks -- simulate-session [--minutes 390] [--out DIR]</c>:
/// the issue-3 target — a 6.5-hour session, 8 hosts × 4 queues, 20,000 parent orders, calm twin included —
/// timed end to end (hosts + twins in parallel, then parents real + twin), with peak memory. With <c>--out</c> it
/// also writes the full output folder (telemetry, traces, frames, FIX) and reports that time separately.
/// </summary>
internal static class SimulateBench
{
    public static int Run(string[] args)
    {
        var minutes = 390.0;
        string? outDir = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--minutes")
            {
                minutes = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--out")
            {
                outDir = args[i + 1];
            }
        }
        var scenario = Scenarios.Fleet with
        {
            Name = "bench-session",
            Minutes = minutes,
            Pools = [.. Scenarios.Fleet.Pools.Select(p => p with { Hosts = 2, Queues = 4 })],
            Storms =
            [
                new StormSpec { Pool = "pool-b", StartMinute = 30, DurationMinutes = 10, Repeat = Math.Max(1, (int)(minutes / 60)), PeriodMinutes = 60 },
                new StormSpec { Pool = "pool-c", StartMinute = 50, DurationMinutes = 8, Repeat = Math.Max(1, (int)(minutes / 90)), PeriodMinutes = 90, TurnoverMultiplier = 4 },
            ],
            Market = new MarketSpec { Symbols = 8 },
            Execution = new ExecutionSpec { Parents = 20_000 },
        };
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average {LoadAverage()}");
        Console.WriteLine($"scenario: {scenario.Minutes} min, {scenario.HostCount} hosts x 4 queues, {scenario.Execution.Parents} parents, twin included");
        var sw = Stopwatch.StartNew();
        var r = Simulator.Run(scenario, 42, new SimulationOptions { OutputDir = outDir });
        var seconds = sw.Elapsed.TotalSeconds;
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        Console.WriteLine($"simulated {r.Parents.Count} parents on {r.Hosts.Count} hosts in {seconds:F1} s{(outDir is null ? "" : " (output folder written)")}; peak working set {peakMb:F0} MB");
        Console.WriteLine($"parents in storm {storm.Length}, mean true uplift {(storm.Length == 0 ? 0 : storm.Average(p => p.DeltaIsBps)):F3} bps; outside {r.Parents.Where(p => !p.InStorm).Average(p => p.DeltaIsBps):F4} bps");
        Console.WriteLine($"target: <= 60 s and <= 2048 MB -> {(seconds <= 60 && peakMb <= 2048 ? "met" : "NOT met")}");
        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
