using DmaSlip.Application.Control;
using DmaSlip.Core.Control;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>Replays the stored host frames through the regime controller (the agent's pipeline) and stores the transitions.</summary>
internal sealed class ControllerStage : IDemoStage
{
    public string Name => "controller";

    public string Run(DemoContext context)
    {
        var results = ControllerRunner.Replay(context.Store, null, RegimeControllerConfig.Default, ReplayBaseline.Agent);
        ControllerRunner.Store(context.Store, results);
        if (results.Count == 0)
        {
            return "no host frames stored: nothing to replay";
        }
        var storms = results.Sum(r => r.Transitions.Count(t => t.To == Core.Domain.Regime.FlushStorm && t.From == Core.Domain.Regime.PressureWatch));
        return $"{results.Count} hosts, {results.Sum(r => r.Updates):N0} frames, {results.Sum(r => r.Transitions.Count)} transitions ({storms} storms) → regime_transitions";
    }
}
