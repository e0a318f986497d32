using DmaSlip.Application.Simulate;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>
/// Simulates the demo's hosts and order flow into <c>OUT/sim</c>, in the real formats: the storm scenario
/// (pool-b storms from minute 10 for 8 minutes) over 20 minutes on 4 hosts, with <see cref="Parents"/> parents on
/// <see cref="Symbols"/> synthetic symbols, so that the day resolves its own storm (C_iommu's interval excludes 0:
/// docs/MODELS.md, "Sixth session"). The ingest stage that follows loads that folder through the parsers, as it
/// would a real host's files.
/// </summary>
internal sealed class SimulateStage : IDemoStage
{
    /// <summary>About a third of them in the storm: enough for the overlay to show skill on its validation split.</summary>
    public const int Parents = 2_400;

    /// <summary>Many names, so the storm's cost is not a draw of four symbols' volatilities (docs/CONTROLLER.md).</summary>
    public const int Symbols = 32;

    public string Name => "simulate";

    /// <summary>The demo's day.</summary>
    public static Scenario Day { get; } = (Scenarios.Storm with
    {
        Market = Scenarios.Storm.Market with { Symbols = Symbols },
        Execution = Scenarios.Storm.Execution with { Parents = Parents },
    }).WithHosts(4).WithMinutes(20);

    public string Run(DemoContext context)
    {
        var dir = Path.Combine(context.OutDir, "sim");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        // A new simulated day replaces the last one: the demo's own database starts empty too, otherwise rows of an
        // earlier run (same host names and parent ids, another seed or simulator version) would shadow the new ones.
        foreach (var file in new[] { context.DbPath, context.DbPath + ".wal" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
        var r = SimulationRunner.Run(Day, context.Seed, dir, FixedPolicyProvider.Panic, keepFrames: true);
        context.SimulationDir = dir;
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        var uplift = storm.Length == 0 ? 0 : storm.Average(p => p.DeltaIsBps);
        return $"{r.Hosts.Count} hosts, {r.Parents.Count} parents ({storm.Length} in storm, true uplift {uplift:0.000} bps), {r.Files.Count} files in {dir}";
    }
}
