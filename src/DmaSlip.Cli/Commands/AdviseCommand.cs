using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Advice;
using DmaSlip.Core.Advice;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip advise</c>: the ranked mitigation ladder and anti-pattern findings from stored tables.</summary>
internal static class AdviseCommand
{
    public static Command Create()
    {
        var configOption = new Option<string?>("--config") { Description = "Controller config for the in-memory replay advise runs when regime_transitions is empty (nothing is stored)" };
        var command = new Command("advise", "Ranked mitigations (expected gain in bps per parent, with evidence) and anti-pattern findings naming hosts/pools.")
        {
            configOption,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            using var store = DmaSlipStore.OpenReadOnly(parse.GetValue(CommonOptions.Db)!);
            var report = AdviceRunner.Run(store, parse.GetValue(configOption));
            Print(output, report);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Print(Output output, AdviceReport report)
    {
        if (output.Json)
        {
            output.WriteJson(AdviceRunner.Json(report));
            return;
        }
        var t = new Table().Title("Mitigation ladder").AddColumn("#").AddColumn("mitigation").AddColumn("pools").AddColumn("hosts")
            .AddColumn(new TableColumn("gain bps/parent").RightAligned());
        foreach (var m in report.Mitigations)
        {
            t.AddRow(m.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Kind), Markup.Escape(string.Join(",", m.Pools)),
                Markup.Escape(string.Join(",", m.Hosts)), m.ExpectedGainBps is { } g ? g.ToString("0.00", CultureInfo.InvariantCulture) : "n/a");
        }
        output.Console.Write(ConsoleTables.Fit(t));
        if (report.AntiPatterns.Count == 0)
        {
            output.Console.WriteLine("No anti-patterns found.");
        }
        foreach (var f in report.AntiPatterns)
        {
            output.Console.MarkupLine($"[yellow]{Markup.Escape(f.Kind)}[/] ({Markup.Escape(f.Severity)}): {Markup.Escape(f.Message)}");
        }
        foreach (var n in report.Notes)
        {
            output.Console.MarkupLine($"[grey]note: {Markup.Escape(n)}[/]");
        }
    }
}
