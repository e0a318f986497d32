using DmaSlip.Application.Drills;
using DmaSlip.Core.Control;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>
/// Runs every failure drill on the demo's seed and writes their results to drills.json. The drills start in the
/// background before the first stage (<see cref="Start"/>); this stage waits for them, so its time is the wait.
/// </summary>
internal sealed class DrillsStage : IDemoStage
{
    public string Name => "drills";

    public static void Start(DemoContext context)
    {
        var work = Path.Combine(context.OutDir, "drills");
        context.DrillsInFlight = Task.Run(() => DrillRunner.RunAll(DrillCatalog.All(RegimeControllerConfig.Default), context.Seed, work, TextWriter.Null));
    }

    public string Run(DemoContext context)
    {
        if (context.DrillsInFlight is null)
        {
            Start(context);
        }
        var results = context.DrillsInFlight!.GetAwaiter().GetResult();
        var path = Path.Combine(context.OutDir, "drills.json");
        File.WriteAllText(path, JsonFormat.Serialize(DrillRunner.Json(results)) + Environment.NewLine);
        var failed = results.Where(r => !r.Passed).Select(r => r.Name).ToArray();
        return $"{results.Count - failed.Length}/{results.Count} drills passed (ran beside the stages above)" + (failed.Length > 0 ? $" (failed: {string.Join(", ", failed)})" : "") + $" → {path}";
    }
}
