using DmaSlip.Application.Simulate;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>
/// Simulates the demo's hosts and order flow (the storm scenario, shortened) into <c>OUT/sim</c>, in the real
/// formats. The ingest stage that follows loads that folder through the parsers, as it would a real host's files.
/// </summary>
internal sealed class SimulateStage : IDemoStage
{
    public string Name => "simulate";

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
        var r = SimulationRunner.Run("storm", context.Seed, dir, hosts: 4, minutes: 20, FixedPolicyProvider.Panic, keepFrames: true);
        context.SimulationDir = dir;
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        var uplift = storm.Length == 0 ? 0 : storm.Average(p => p.DeltaIsBps);
        return $"{r.Hosts.Count} hosts, {r.Parents.Count} parents ({storm.Length} in storm, true uplift {uplift:0.000} bps), {r.Files.Count} files in {dir}";
    }
}
