using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Control;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip controller replay|validate|config</c>: the regime controller over stored frames, and its config files.</summary>
internal static class ControllerCommand
{
    public static Command Create()
    {
        var command = new Command("controller", "Regime controller: replay stored host frames through it, validate or print its config.");
        command.Subcommands.Add(Replay());
        command.Subcommands.Add(Validate());
        command.Subcommands.Add(Config());
        return command;
    }

    private static Option<string?> ConfigOption() => new("--config") { Description = "Controller config file (JSON or YAML); default: the built-in config" };

    private static Command Replay()
    {
        var hostOption = new Option<string?>("--host") { Description = "Replay only this host (default: every host with frames)" };
        var configOption = ConfigOption();
        var baselineOption = new Option<string>("--baseline")
        {
            Description = "warmup: each host's baseline from its first --warmup-windows windows, as the fleet agent does (default); "
                + "hindsight: from all of its frames (analysis only: no live system can do this)",
            DefaultValueFactory = _ => "warmup",
        };
        var warmupOption = new Option<int>("--warmup-windows") { Description = "Warm-up windows (the agent's default)", DefaultValueFactory = _ => ReplayBaseline.Agent.WarmUpWindows };
        var cmd = new Command("replay", "Replay stored host frames through the controller and store the transitions (with reasons) in regime_transitions.")
        {
            hostOption,
            configOption,
            baselineOption,
            warmupOption,
        };
        cmd.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var configPath = parse.GetValue(configOption);
            var config = ControllerConfigFile.LoadOrDefault(configPath);
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var host = parse.GetValue(hostOption);
            var baseline = parse.GetValue(baselineOption) switch
            {
                "warmup" when parse.GetValue(warmupOption) > 0 => new ReplayBaseline(false, parse.GetValue(warmupOption)),
                "warmup" => throw new UsageException("--warmup-windows must be 1 or more"),
                "hindsight" => new ReplayBaseline(Hindsight: true),
                var b => throw new UsageException($"--baseline must be warmup or hindsight, got '{b}'"),
            };
            var results = ControllerRunner.Replay(store, host, config, baseline);
            ControllerRunner.Store(store, results);
            if (host is not null && results.Count == 0)
            {
                throw new InputException($"host '{host}' has no stored host_frames");
            }
            Print(output, configPath, results);
            return ExitCodes.Success;
        });
        return cmd;
    }

    private static void Print(Output output, string? configPath, IReadOnlyList<HostReplay> results)
    {
        if (output.Json)
        {
            output.WriteJson(new
            {
                config = configPath ?? "default",
                baseline = results.Count > 0 ? results[0].Baseline : null,
                hosts = results.Select(r => new
                {
                    host = r.Host,
                    updates = r.Updates,
                    from_ns = r.FromNs,
                    to_ns = r.ToNs,
                    time_share = r.TimeInRegimeNs.ToDictionary(kv => kv.Key.Name(), kv => Share(kv.Value, r)),
                    transitions = r.Transitions.Select(t => new { ts_ns = t.TsNs, from = t.From.Name(), to = t.To.Name(), reason = t.Reason }),
                }),
            });
            return;
        }
        var summary = new Table().AddColumn("host").AddColumn(new TableColumn("frames").RightAligned())
            .AddColumn(new TableColumn("transitions").RightAligned());
        for (var g = Regime.MapStable; g <= Regime.SafeDmaContain; g++)
        {
            summary.AddColumn(new TableColumn(g.Name()).RightAligned());
        }
        foreach (var r in results)
        {
            var row = new List<string> { r.Host, r.Updates.ToString("N0", CultureInfo.InvariantCulture), r.Transitions.Count.ToString(CultureInfo.InvariantCulture) };
            for (var g = Regime.MapStable; g <= Regime.SafeDmaContain; g++)
            {
                row.Add(Share(r.TimeInRegimeNs[g], r).ToString("P1", CultureInfo.InvariantCulture));
            }
            summary.AddRow(row.Select(Markup.Escape).ToArray());
        }
        output.Console.Write(ConsoleTables.Fit(summary));
        var list = new Table().AddColumn("host").AddColumn("time (UTC)").AddColumn("from").AddColumn("to").AddColumn("reason");
        foreach (var t in results.SelectMany(r => r.Transitions).OrderBy(t => t.TsNs).Take(60))
        {
            list.AddRow(Markup.Escape(t.Host), Time.ToIso(t.TsNs), t.From.Name(), t.To.Name(), Markup.Escape(t.Reason));
        }
        output.Console.Write(ConsoleTables.Fit(list));
        if (results.Count > 0)
        {
            output.Console.MarkupLine($"[grey]baseline: {Markup.Escape(results[0].Baseline)}[/]");
        }
    }

    private static double Share(long ns, HostReplay r) => r.ToNs > r.FromNs ? ns / (double)(r.ToNs - r.FromNs) : 0;

    private static Command Validate()
    {
        var fileArg = new Argument<string>("FILE") { Description = "Controller config (JSON, or YAML by .yml/.yaml extension)" };
        var cmd = new Command("validate", "Validate a controller config file: exit 0 when valid, 1 with every problem listed otherwise.") { fileArg };
        cmd.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var file = parse.GetValue(fileArg)!;
            var config = ControllerConfigFile.TryLoad(file, out var errors);
            if (output.Json)
            {
                output.WriteJson(new { file, valid = config is not null, errors });
            }
            else if (config is not null)
            {
                output.Console.MarkupLine($"[green]valid[/] {Markup.Escape(file)}");
            }
            else
            {
                output.Console.MarkupLine($"[red]invalid[/] {Markup.Escape(file)}");
                foreach (var e in errors)
                {
                    output.Console.WriteLine("  " + e);
                }
            }
            return config is not null ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return cmd;
    }

    private static Command Config()
    {
        var configOption = ConfigOption();
        var cmd = new Command("config", "Print the effective controller config as JSON (the defaults, or FILE merged over them): a template to edit.") { configOption };
        cmd.SetAction(parse =>
        {
            var config = ControllerConfigFile.LoadOrDefault(parse.GetValue(configOption));
            parse.InvocationConfiguration.Output.Write(RegimeControllerConfigJson.Write(config));
            return ExitCodes.Success;
        });
        return cmd;
    }
}
