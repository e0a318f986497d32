using DmaSlip.Core.Attribution;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Simulation;

namespace DmaSlip.Cli.Drills;

/// <summary>A simulator run driven by the regime controller, with the controller's trace per host.</summary>
internal sealed record SimulatedRun(Scenario Scenario, SimulationResult Result, ControllerPolicyProvider Provider)
{
    /// <summary>Calibration span of each host's DFI baseline (storms in the built-in scenarios start later).</summary>
    public static readonly long CalibrationNs = 3 * Time.NanosPerMinute;

    public static SimulatedRun Run(Scenario scenario, int seed, RegimeControllerConfig config, string? outputDir = null)
    {
        var provider = new ControllerPolicyProvider(config, CalibrationNs);
        var result = Simulator.Run(scenario, seed, new SimulationOptions { Policy = provider, OutputDir = outputDir });
        return new SimulatedRun(scenario, result, provider);
    }

    public int FramesSeen => Provider.Traces.Values.Sum(t => t.Windows.Count);

    public int StormEntries => Provider.Traces.Values.Sum(t => t.Changes.Count(c => c.To == Regime.FlushStorm && c.From == Regime.PressureWatch));

    /// <summary>Mean DFI of the host's windows over [from, to]; null without windows.</summary>
    public double? MeanDfi(string host, long from, long to)
    {
        if (!Provider.Traces.TryGetValue(host, out var t))
        {
            return null;
        }
        double sum = 0;
        var n = 0;
        foreach (var (ts, s) in t.Windows)
        {
            if (ts > from && ts <= to + 100 * Time.NanosPerMilli)
            {
                sum += s.Dfi;
                n++;
            }
        }
        return n > 0 ? sum / n : null;
    }

    /// <summary>
    /// Attributed IOMMU uplift per parent without a fitted model (the models issue's overlay replaces it): parents
    /// whose host's mean DFI over their life puts them in a pressure bucket (high/storm, Core.Attribution
    /// PressureBuckets) are charged their IS minus the mean IS of calm-bucket parents of the same run; others 0.
    /// </summary>
    public IReadOnlyDictionary<string, double> AttributedIommuBps()
    {
        var bucket = Result.Parents.ToDictionary(p => p.Order.ParentId,
            p => PressureBuckets.Of(MeanDfi(p.Order.Host, p.Order.ArrivalTsNs, p.Order.DeadlineTsNs)), StringComparer.Ordinal);
        var calm = Result.Parents.Where(p => bucket[p.Order.ParentId] == "calm").Select(p => p.IsBps).ToArray();
        var calmMean = calm.Length > 0 ? calm.Average() : 0;
        return Result.Parents.ToDictionary(p => p.Order.ParentId,
            p => PressureBuckets.IsPressure(bucket[p.Order.ParentId]) ? p.IsBps - calmMean : 0, StringComparer.Ordinal);
    }
}
