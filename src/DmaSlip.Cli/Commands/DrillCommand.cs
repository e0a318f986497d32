using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Control;
using DmaSlip.Application.Drills;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip drill NAME|all [--seed N] [--recording DIR [--onset T]] [--json]</c>: the failure drills, exit 0 when all pass, 1 otherwise.</summary>
internal static class DrillCommand
{
    public static Command Create()
    {
        var nameArg = new Argument<string>("NAME") { Description = "Drill to run (flush-burst-replay, storm-containment, confounder-separation, fallback-path) or 'all'" };
        var seedOption = new Option<int>("--seed") { Description = "Seed of the drill's scenario (common random numbers across arms)", DefaultValueFactory = _ => 1 };
        var configOption = new Option<string?>("--config") { Description = "Controller config file (JSON or YAML); default: the built-in config" };
        var workOption = new Option<string?>("--work") { Description = "Folder for the drills' simulator output (default: a temp folder, deleted afterwards)" };
        var recordingOption = new Option<string?>("--recording") { Description = "flush-burst-replay: replay this recorded folder (one host's real-format telemetry) instead of the simulator's storm onset" };
        var onsetOption = new Option<string?>("--onset") { Description = "Burst onset in the recording (UTC ISO-8601 or ns since the epoch); default: its truth/" };
        var command = new Command("drill", "Run failure drills (DESIGN §8) with pass/fail criteria and evidence; exit 0 when all pass, 1 otherwise.")
        {
            nameArg,
            seedOption,
            configOption,
            workOption,
            recordingOption,
            onsetOption,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var config = ControllerConfigFile.LoadOrDefault(parse.GetValue(configOption));
            var drills = DrillCatalog.Select(parse.GetValue(nameArg)!, config, parse.GetValue(recordingOption), parse.GetValue(onsetOption));
            var work = parse.GetValue(workOption);
            var results = DrillRunner.RunAll(drills, parse.GetValue(seedOption), work, parse.InvocationConfiguration.Error);
            Print(output, results);
            return results.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    private static void Print(Output output, IReadOnlyList<DrillResult> results)
    {
        if (output.Json)
        {
            output.WriteJson(DrillRunner.Json(results));
            return;
        }
        foreach (var r in results)
        {
            output.Console.MarkupLine($"{(r.Passed ? "[green]PASS[/]" : "[red]FAIL[/]")} [bold]{Markup.Escape(r.Name)}[/]");
            var t = new Table().AddColumn("criterion").AddColumn(new TableColumn("value").RightAligned()).AddColumn("op")
                .AddColumn(new TableColumn("threshold").RightAligned()).AddColumn("result");
            foreach (var c in r.Criteria)
            {
                t.AddRow(Markup.Escape(c.Name), c.Value.ToString("0.####", CultureInfo.InvariantCulture), Markup.Escape(c.Op),
                    c.Threshold.ToString("0.####", CultureInfo.InvariantCulture), c.Passed ? "[green]pass[/]" : "[red]FAIL[/]");
            }
            output.Console.Write(ConsoleTables.Fit(t));
            foreach (var (k, v) in r.Evidence)
            {
                if (v is string or double or long or int or bool or null)
                {
                    output.Console.WriteLine($"  {k}: {Convert.ToString(v, CultureInfo.InvariantCulture)}");
                }
            }
        }
    }
}
