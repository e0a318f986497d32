using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Analysis;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Reports.Console;
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
        var parity = new Option<bool>("--parity") { Description = "Then compare host_frames with truth_host_frames (a simulator folder's own frames)" };
        var command = new Command("features", "Compute host frames (from host counters and traces) and exec frames (from order_events) and store them.")
        {
            from, to, windowMs, execWindowMs, gridMs, parity,
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
            var report = parse.GetValue(parity) ? FrameParity.Compute(store) : null;
            var separation = parse.GetValue(parity) ? FrameSeparation.Compute(store) : null;
            if (output.Json)
            {
                output.WriteJson(report is null ? s : new { features = s, parity = report, separation });
            }
            else
            {
                var table = new Table().AddColumn("input").AddColumn(new TableColumn("rows").RightAligned()).AddColumn("output").AddColumn(new TableColumn("computed").RightAligned()).AddColumn(new TableColumn("added").RightAligned());
                table.AddRow("host_events", N(s.HostEvents), $"host_frames ({s.HostStreams} streams, {N(s.LateEvents)} late events)", N(s.HostFramesComputed), N(s.HostFramesAdded));
                table.AddRow("order_events", N(s.OrderEvents), "exec_frames", N(s.ExecFramesComputed), N(s.ExecFramesAdded));
                output.Console.Write(ConsoleTables.Fit(table));
                if (report is not null)
                {
                    output.Console.Write(ConsoleTables.Fit(ParityTable(report)));
                    output.Console.Write(ConsoleTables.Fit(SeparationTable(separation!)));
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Table ParityTable(FrameParityReport r)
    {
        var t = new Table().AddColumn("column").AddColumn(new TableColumn("truth filled").RightAligned()).AddColumn(new TableColumn("ours filled").RightAligned())
            .AddColumn(new TableColumn("both").RightAligned()).AddColumn(new TableColumn("median rel err").RightAligned())
            .AddColumn(new TableColumn("p90 rel err").RightAligned()).AddColumn(new TableColumn("median abs err").RightAligned());
        t.Title = new TableTitle($"parity: {N(r.Matched)} of {N(r.TruthRows)} truth frames matched ({r.Coverage:P2}); {N(r.OurRows)} frames");
        foreach (var c in r.Columns)
        {
            t.AddRow(c.Column, N(c.TruthFilled), N(c.OursFilled), N(c.Both), P(c.MedianRelativeError), P(c.P90RelativeError),
                c.MedianAbsoluteError is { } a ? a.ToString("G4", CultureInfo.InvariantCulture) : "—");
        }
        return t;
    }

    private static Table SeparationTable(SeparationReport r)
    {
        var t = new Table().AddColumn("frames").AddColumn("state").AddColumn(new TableColumn("n").RightAligned()).AddColumn(new TableColumn("mean DFI").RightAligned())
            .AddColumn(new TableColumn("DFI ≥ 50").RightAligned()).AddColumn(new TableColumn("mean DJS (n)").RightAligned()).AddColumn(new TableColumn("mean PSO (n)").RightAligned());
        foreach (var (name, rows) in new[] { ("ours", r.Ours), ("truth", r.Truth) })
        {
            foreach (var s in rows)
            {
                t.AddRow(name, s.State, N(s.Frames), s.MeanDfi.ToString("F1", CultureInfo.InvariantCulture), P(s.ShareDfiAbove50),
                    s.MeanDjs is { } d ? $"{d.ToString("F3", CultureInfo.InvariantCulture)} ({N(s.DjsFrames)})" : "—",
                    s.MeanPso is { } p ? $"{p.ToString("F3", CultureInfo.InvariantCulture)} ({N(s.PsoFrames)})" : "—");
            }
        }
        return t;
    }

    private static string P(double? v) => v is { } x ? x.ToString("P2", CultureInfo.InvariantCulture) : "—";

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
