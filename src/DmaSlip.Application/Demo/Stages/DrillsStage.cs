using DmaSlip.Application.Drills;
using DmaSlip.Core.Control;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>Runs every failure drill on the demo's seed and writes their results to drills.json.</summary>
internal sealed class DrillsStage : IDemoStage
{
    public string Name => "drills";

    public string Run(DemoContext context)
    {
        var work = Path.Combine(context.OutDir, "drills");
        var results = DrillRunner.RunAll(DrillCatalog.All(RegimeControllerConfig.Default), context.Seed, work, TextWriter.Null);
        var path = Path.Combine(context.OutDir, "drills.json");
        File.WriteAllText(path, JsonFormat.Serialize(DrillRunner.Json(results)) + Environment.NewLine);
        var failed = results.Where(r => !r.Passed).Select(r => r.Name).ToArray();
        return $"{results.Count - failed.Length}/{results.Count} drills passed" + (failed.Length > 0 ? $" (failed: {string.Join(", ", failed)})" : "") + $" → {path}";
    }
}
