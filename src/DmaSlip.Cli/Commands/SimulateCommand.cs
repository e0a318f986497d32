using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Simulate;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Domain;
using DmaSlip.Reports.Console;
using DmaSlip.Simulation;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip simulate</c>: run a scenario and write its output folder (real formats + truth as Parquet).</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var scenarioOption = new Option<string>("--scenario") { Description = $"Built-in scenario ({string.Join(", ", Scenarios.Names)}) or a YAML/JSON scenario file", Required = true };
        var seedOption = new Option<long>("--seed") { Description = "Random seed (same seed → byte-identical outputs)", DefaultValueFactory = _ => 1 };
        var outOption = new Option<string>("--out") { Description = "Output folder", Required = true };
        var hostsOption = new Option<int?>("--hosts") { Description = "Total hosts, spread over the scenario's pools" };
        var minutesOption = new Option<double?>("--minutes") { Description = "Session length in minutes" };
        var dateOption = new Option<string?>("--date") { Description = "Session date YYYY-MM-DD (same time of day); parent ids carry it, so days simulated on different dates can be ingested into one database" };
        var policyOption = new Option<string>("--policy") { Description = "Execution policy: panic or bounded (fixed catch-up mode) or controller (the regime controller driven by each host's frames)", DefaultValueFactory = _ => "panic" };
        var command = new Command("simulate", "Simulate hosts (IOMMU/DMA/NAPI), market and execution with a calm counterfactual twin; write real-format telemetry, FIX logs and truth.")
        {
            scenarioOption, seedOption, outOption, hostsOption, minutesOption, dateOption, policyOption,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var policy = parse.GetValue(policyOption) switch
            {
                "panic" => (IPolicyProvider)FixedPolicyProvider.Panic,
                "bounded" => FixedPolicyProvider.Bounded,
                "controller" => (IPolicyProvider)new ControllerPolicyProvider(),
                var p => throw new UsageException($"--policy must be panic, bounded or controller, got '{p}'"),
            };
            DateOnly? date = null;
            if (parse.GetValue(dateOption) is { } d)
            {
                date = DateOnly.TryParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var v)
                    ? v
                    : throw new UsageException($"--date must be YYYY-MM-DD, got '{d}'");
            }
            var run = SimulationRunner.Run(parse.GetValue(scenarioOption)!, parse.GetValue(seedOption), parse.GetValue(outOption)!,
                parse.GetValue(hostsOption), parse.GetValue(minutesOption), policy, date: date);
            Print(output, run);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(Output output, SimulationResult r)
    {
        var outDir = Path.GetFullPath(r.OutputDir ?? ".");
        if (output.Json)
        {
            output.WriteJson(new
            {
                scenario = r.Scenario.Name,
                seed = r.Seed,
                @out = outDir,
                files = r.Files,
                hosts = r.Hosts.Select(h => new { host = h.Host, pool = h.Pool }),
                storm_pools = r.StormPools,
                parents = r.Parents.Count,
            });
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        var calm = r.Parents.Where(p => !p.InStorm).ToArray();
        var t = new Table().Title($"dmaslip simulate {Markup.Escape(r.Scenario.Name)} (seed {r.Seed})").AddColumn("").AddColumn(new TableColumn("value").RightAligned());
        t.AddRow("hosts", string.Join(", ", r.Hosts.GroupBy(h => h.Pool).Select(g => $"{g.Key}: {g.Count()} ({g.First().IommuMode.Name()})")));
        t.AddRow("storm pools", r.StormPools.Count == 0 ? "none" : string.Join(", ", r.StormPools));
        t.AddRow("parents", r.Parents.Count.ToString(inv));
        t.AddRow("parents in storm", storm.Length.ToString(inv));
        t.AddRow("true uplift in storm (mean Δ IS, bps)", storm.Length == 0 ? "–" : storm.Average(p => p.DeltaIsBps).ToString("0.000", inv));
        t.AddRow("true uplift outside storm (mean Δ IS, bps)", calm.Length == 0 ? "–" : calm.Average(p => p.DeltaIsBps).ToString("0.000", inv));
        t.AddRow("files", r.Files.Count.ToString(inv));
        output.Console.Write(ConsoleTables.Fit(t));
        output.Console.MarkupLine($"output: [bold]{Markup.Escape(outDir)}[/]");
    }
}
