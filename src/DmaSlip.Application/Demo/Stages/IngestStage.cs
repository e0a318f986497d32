using System.Globalization;
using DmaSlip.Ingest;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>
/// Ingests the simulator's output folder through the real-format parsers (the simulate stage sets
/// <see cref="DemoContext.SimulationDir"/>); without a simulation, the real LEAN IBM/BAC tick zips checked in under tests/data.
/// </summary>
internal sealed class IngestStage : IDemoStage
{
    public string Name => "ingest";

    public string Run(DemoContext context)
    {
        IReadOnlyList<string> inputs;
        if (context.SimulationDir is { } sim)
        {
            inputs = [sim];
        }
        else
        {
            var data = FindCheckedInData() ?? throw new InputException("no simulator output and no tests/data/lean-ticks in a checkout above the working folder to ingest");
            inputs = new[] { "ibm", "bac" }.SelectMany(s => new[] { "quote", "trade" }.Select(k => Path.Combine(data, "lean-ticks", s, $"20131007_{k}.zip"))).Where(File.Exists).ToList();
        }
        var results = context.Ingest(context.Store, inputs, new IngestOptions());
        var failed = results.Where(r => r.Error is not null).ToList();
        if (failed.Count > 0)
        {
            throw new InputException("ingest failed for " + string.Join("; ", failed.Select(f => $"{f.Path}: {f.Error}")));
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} files ({string.Join(", ", results.GroupBy(r => r.Format).Select(g => $"{g.Count()} {g.Key}"))}): {results.Sum(r => r.Records):N0} records, {results.Sum(r => r.Skipped):N0} skipped, {results.Sum(r => r.Quarantined):N0} quarantined");
    }

    private static string? FindCheckedInData()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "data");
                if (File.Exists(Path.Combine(dir.FullName, "DmaSlip.slnx")) && Directory.Exists(Path.Combine(candidate, "lean-ticks")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
