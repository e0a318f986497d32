using DmaSlip.Simulation;
using DmaSlip.Storage;

namespace DmaSlip.Application.Simulate;

/// <summary><c>dmaslip simulate</c>'s work (and the demo's simulate stage).</summary>
internal static class SimulationRunner
{
    /// <summary>Resolves and runs the scenario, writes the folder and the truth Parquet files.</summary>
    public static SimulationResult Run(string scenarioName, long seed, string outDir, int? hosts, double? minutes, IPolicyProvider policy, bool keepFrames = false, DateOnly? date = null)
    {
        Scenario scenario;
        try
        {
            scenario = ScenarioFile.Resolve(scenarioName);
            if (hosts is { } h)
            {
                scenario = scenario.WithHosts(h);
            }
            if (minutes is { } m)
            {
                scenario = scenario.WithMinutes(m);
            }
            if (date is { } day)
            {
                scenario = scenario.OnDate(day);
            }
            scenario.EnsureValid();
        }
        catch (ScenarioException ex)
        {
            throw new InputException(ex.Message, ex);
        }
        return Run(scenario, seed, outDir, policy, keepFrames);
    }

    /// <summary>Simulates a validated <paramref name="scenario"/> into <paramref name="outDir"/>, truth included.</summary>
    public static SimulationResult Run(Scenario scenario, long seed, string outDir, IPolicyProvider policy, bool keepFrames = false)
    {
        var full = Path.GetFullPath(outDir);
        var result = Simulator.Run(scenario, seed, new SimulationOptions { OutputDir = full, Policy = policy, KeepFrames = keepFrames });
        WriteTruth(result, full);
        return result;
    }

    /// <summary>The truth tables as Parquet in <c>DIR/truth/</c> (the Simulation project does not depend on Storage).</summary>
    public static void WriteTruth(SimulationResult result, string outDir)
    {
        var truthDir = Path.Combine(outDir, "truth");
        ParquetFiles.Write(Path.Combine(truthDir, "truth_parent.parquet"), result.TruthParents, "parent_id");
        ParquetFiles.Write(Path.Combine(truthDir, "truth_windows.parquet"), result.TruthWindows(), "host, queue, window_start_ns");
        var frameCsvs = Directory.Exists(Path.Combine(truthDir, "host_frames"))
            ? Directory.GetFiles(Path.Combine(truthDir, "host_frames"), "*.csv").Order(StringComparer.Ordinal).ToArray() : [];
        ParquetFiles.FromCsv(frameCsvs, "host_frames", Path.Combine(truthDir, "host_frames.parquet"), "host, device, queue, window_start_ns");
        if (frameCsvs.Length > 0)
        {
            Directory.Delete(Path.Combine(truthDir, "host_frames"), recursive: true);
        }
        result.Files = [.. result.Files.Where(f => !f.StartsWith("truth/host_frames/", StringComparison.Ordinal))
            .Concat(["truth/truth_parent.parquet", "truth/truth_windows.parquet", "truth/host_frames.parquet"]).Order(StringComparer.Ordinal)];
    }
}
