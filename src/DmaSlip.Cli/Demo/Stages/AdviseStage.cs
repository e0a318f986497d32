using DmaSlip.Application.Advice;
using DmaSlip.Cli.Commands;
using DmaSlip.Cli.Internal;

namespace DmaSlip.Cli.Demo.Stages;

/// <summary>Computes the mitigation ladder and anti-patterns on the demo's store and writes advice.json.</summary>
internal sealed class AdviseStage : IDemoStage
{
    public string Name => "advise";

    public string Run(DemoContext context)
    {
        var report = AdviceRunner.Run(context.Store, null);
        var path = Path.Combine(context.OutDir, "advice.json");
        using (var w = new StringWriter())
        {
            AdviseCommand.Print(new Output(w, TextWriter.Null, json: true), report);
            File.WriteAllText(path, w.ToString());
        }
        var top = report.Mitigations.Count > 0
            ? $"top: {report.Mitigations[0].Kind} on {string.Join(",", report.Mitigations[0].Pools)}" +
              (report.Mitigations[0].ExpectedGainBps is { } g ? $" ({g:0.00} bps/parent)" : "")
            : "no mitigation indicated";
        return $"{report.Mitigations.Count} mitigations, {report.AntiPatterns.Count} anti-patterns; {top} → {path}";
    }
}
