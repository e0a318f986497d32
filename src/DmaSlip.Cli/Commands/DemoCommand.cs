using System.CommandLine;
using System.Diagnostics;
using DmaSlip.Application.Demo;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip demo</c>: every stage that exists, end to end, on the embedded default data.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "./demo-out" };
        var seedOption = new Option<int>("--seed") { Description = "Random seed of the simulation", DefaultValueFactory = _ => 7 };
        var command = new Command("demo", "Run the whole pipeline end to end on a simulated trading day (synthetic hosts, market and order flow, with the simulator's truth).")
        {
            outOption,
            seedOption,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            return Run(parse.GetValue(outOption)!, parse.GetValue(seedOption), output);
        });
        return command;
    }

    private static int Run(string outDir, int seed, Output output)
    {
        var clock = Stopwatch.StartNew();
        var ran = new List<(string Name, string Summary, double Seconds)>();
        using (var context = new DemoContext(outDir, seed) { Ingest = (store, inputs, options) => IngestCommand.Run(store, inputs, options, output) })
        {
            DemoPipeline.StartBackground(context);
            foreach (var stage in DemoPipeline.Stages())
            {
                var t = Stopwatch.StartNew();
                if (!output.Json)
                {
                    output.Progress.MarkupLine($"[grey]running[/] {stage.Name} …");
                }
                var summary = stage.Run(context);
                ran.Add((stage.Name, summary, t.Elapsed.TotalSeconds));
            }
            var seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
            if (output.Json)
            {
                output.WriteJson(new
                {
                    db = context.DbPath, stages = ran.Select(r => r.Name).ToArray(), report = context.ReportPath, seconds,
                    c_iommu = context.Fit?.CIommu, truth = context.Fit?.Truth,
                    stage_seconds = ran.ToDictionary(r => r.Name, r => Math.Round(r.Seconds, 3), StringComparer.Ordinal),
                });
                return ExitCodes.Success;
            }
            if (context.Report is { } report)
            {
                ReportWriter.PrintHeadline(output, report);
            }
            var table = new Table().Title("dmaslip demo").AddColumn("stage").AddColumn("result").AddColumn(new TableColumn("s").RightAligned());
            foreach (var (name, summary, s) in ran)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(summary), s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
            }
            output.Console.Write(ConsoleTables.Fit(table));
            output.Console.MarkupLine($"database: [bold]{Markup.Escape(context.DbPath)}[/]");
            output.Console.MarkupLine(context.ReportPath is null ? "report: (no report stage yet)" : $"report: [bold]{Markup.Escape(context.ReportPath)}[/]");
            output.Console.MarkupLine($"done in {seconds:0.0} s");
        }
        return ExitCodes.Success;
    }
}
