using DmaSlip.Application.Advice;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>Computes the mitigation ladder and anti-patterns on the demo's store and writes advice.json.</summary>
internal sealed class AdviseStage : IDemoStage
{
    public string Name => "advise";

    public string Run(DemoContext context)
    {
        var report = AdviceRunner.Run(context.Store, null);
        var path = Path.Combine(context.OutDir, "advice.json");
        File.WriteAllText(path, JsonFormat.Serialize(AdviceRunner.Json(report)) + Environment.NewLine);
        var top = report.Mitigations.Count > 0
            ? $"top: {report.Mitigations[0].Kind} on {string.Join(",", report.Mitigations[0].Pools)}" +
              (report.Mitigations[0].ExpectedGainBps is { } g ? $" ({g:0.00} bps/parent)" : "")
            : "no mitigation indicated";
        return $"{report.Mitigations.Count} mitigations, {report.AntiPatterns.Count} anti-patterns; {top} → {path}";
    }
}
