using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Drills;

/// <summary>A simulator run driven by the regime controller, with the controller's trace per host.</summary>
internal sealed record SimulatedRun(Scenario Scenario, SimulationResult Result, ControllerPolicyProvider Provider)
{
    /// <summary>Calibration span of each host's DFI baseline (storms in the built-in scenarios start later).</summary>
    public static readonly long CalibrationNs = 3 * Time.NanosPerMinute;

    public static SimulatedRun Run(Scenario scenario, int seed, RegimeControllerConfig config, string? outputDir = null)
    {
        var provider = new ControllerPolicyProvider(config, BaselinePolicy.WarmUpFor(CalibrationNs));
        var result = Simulator.Run(scenario, seed, new SimulationOptions { Policy = provider, OutputDir = outputDir });
        return new SimulatedRun(scenario, result, provider);
    }

    public int FramesSeen => Provider.Traces.Values.Sum(t => t.Windows.Count);

    public int StormEntries => Provider.Traces.Values.Sum(t => t.Changes.Count(c => c.To == Regime.FlushStorm && c.From == Regime.PressureWatch));
}
