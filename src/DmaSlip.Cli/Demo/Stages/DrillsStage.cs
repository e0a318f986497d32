using System.Text.Json;
using DmaSlip.Cli.Commands;
using DmaSlip.Application.Drills;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Control;

namespace DmaSlip.Cli.Demo.Stages;

/// <summary>Runs every failure drill on the demo's seed and writes their results to drills.json.</summary>
internal sealed class DrillsStage : IDemoStage
{
    public string Name => "drills";

    public string Run(DemoContext context)
    {
        var work = Path.Combine(context.OutDir, "drills");
        var results = DrillCommand.RunAll(DrillCatalog.All(RegimeControllerConfig.Default), context.Seed, work, TextWriter.Null);
        var path = Path.Combine(context.OutDir, "drills.json");
        using (var w = new StringWriter())
        {
            DrillCommand.Print(new Output(w, TextWriter.Null, json: true), results);
            File.WriteAllText(path, w.ToString());
        }
        var failed = results.Where(r => !r.Passed).Select(r => r.Name).ToArray();
        return $"{results.Count - failed.Length}/{results.Count} drills passed" + (failed.Length > 0 ? $" (failed: {string.Join(", ", failed)})" : "") + $" → {path}";
    }
}
