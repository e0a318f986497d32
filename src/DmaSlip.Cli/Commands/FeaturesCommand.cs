using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Analysis;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip features</c>: host frames from stored host_events, exec frames from order events.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Start (inclusive): ISO-8601 or ns since the epoch" };
        var to = new Option<string?>("--to") { Description = "End (exclusive): ISO-8601 or ns since the epoch" };
        var windowMs = new Option<int>("--window-ms") { Description = "Host frame window in ms", DefaultValueFactory = _ => 100 };
        var execWindowMs = new Option<int>("--exec-window-ms") { Description = "Exec frame window in ms", DefaultValueFactory = _ => 1000 };
        var gridMs = new Option<int>("--grid-ms") { Description = "Intended dispatch grid period in ms (phase error)", DefaultValueFactory = _ => 100 };
        var command = new Command("features", "Compute host frames (from host_events) and exec frames (from order_events) and store them.")
        {
            from, to, windowMs, execWindowMs, gridMs,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            HostFrameOptions hostOptions;
            ExecFrameOptions execOptions;
            try
            {
                hostOptions = new HostFrameOptions { WindowNs = parse.GetValue(windowMs) * Time.NanosPerMilli };
                hostOptions.Validate();
                execOptions = new ExecFrameOptions { WindowNs = parse.GetValue(execWindowMs) * Time.NanosPerMilli, DispatchGridNs = parse.GetValue(gridMs) * Time.NanosPerMilli };
                execOptions.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
            var f = TimeArg.Parse(parse.GetValue(from), "--from");
            var t = TimeArg.Parse(parse.GetValue(to), "--to");
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var s = FeatureRunner.Run(store, f, t, hostOptions, execOptions);
            if (output.Json)
            {
                output.WriteJson(s);
            }
            else
            {
                var table = new Table().AddColumn("input").AddColumn(new TableColumn("rows").RightAligned()).AddColumn("output").AddColumn(new TableColumn("computed").RightAligned()).AddColumn(new TableColumn("added").RightAligned());
                table.AddRow("host_events", N(s.HostEvents), $"host_frames ({s.HostStreams} streams, {N(s.LateEvents)} late events)", N(s.HostFramesComputed), N(s.HostFramesAdded));
                table.AddRow("order_events", N(s.OrderEvents), "exec_frames", N(s.ExecFramesComputed), N(s.ExecFramesAdded));
                output.Console.Write(table);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
