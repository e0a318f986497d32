using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Analysis;
using DmaSlip.Cli.Internal;
using DmaSlip.Core.Metrics;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip metrics</c>: DFI, DJS, PSO, QDL, IUL by pool, NIC, NUMA placement, liquidity bucket, session.</summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var by = new Option<string>("--by") { Description = "Grouping dimensions, comma-separated: pool,nic,numa,liquidity,session", DefaultValueFactory = _ => "pool" };
        var from = new Option<string?>("--from") { Description = "Start (inclusive): ISO-8601 or ns since the epoch" };
        var to = new Option<string?>("--to") { Description = "End (exclusive): ISO-8601 or ns since the epoch" };
        var sessions = SessionsOption.Create();
        var command = new Command("metrics", "Desk metrics by group: DFI, DJS, PSO (host windows), QDL and IUL (parents under pressure vs matched calm parents).")
        {
            by, from, to, sessions,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            IReadOnlyList<Dimension> dims;
            try
            {
                dims = DimensionParser.Parse(parse.GetValue(by)!);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
            var segs = SessionsOption.Load(parse.GetValue(sessions));
            var f = TimeArg.Parse(parse.GetValue(from), "--from");
            var t = TimeArg.Parse(parse.GetValue(to), "--to");
            if (f is { } fromNs && t is { } toNs && fromNs >= toNs)
            {
                throw new UsageException("--from must be before --to (the range is [from, to))");
            }
            using var store = DmaSlipStore.OpenReadOnly(parse.GetValue(CommonOptions.Db)!);
            var rows = MetricsRunner.Run(store, dims, f, t, segs);
            if (output.Json)
            {
                output.WriteJson(rows.Select(r => new
                {
                    group = r.Group,
                    dfi = r.Dfi,
                    djs = r.Djs,
                    pso = r.Pso,
                    qdl_bps = r.QdlBps,
                    iul_mean_bps = r.IulMeanBps,
                    iul_q95_bps = r.IulQ95Bps,
                    windows = r.Windows,
                    parents = r.Parents,
                    completion_deficit = r.CompletionDeficit,
                    pressure_parents = r.PressureParents,
                    unmatched_pressure_parents = r.UnmatchedPressureParents,
                }));
                return ExitCodes.Success;
            }
            var table = new Table();
            foreach (var d in dims)
            {
                table.AddColumn(d.ToString().ToLowerInvariant());
            }
            foreach (var c in new[] { "DFI", "DJS", "PSO", "QDL bps", "IUL mean bps", "IUL q95 bps", "windows", "parents" })
            {
                table.AddColumn(new TableColumn(c).RightAligned());
            }
            foreach (var r in rows)
            {
                var cells = dims.Select(d => Markup.Escape(r.Group[d.ToString().ToLowerInvariant()]))
                    .Concat([F(r.Dfi, "F1"), F(r.Djs, "F2"), F(r.Pso, "F2"), F(r.QdlBps, "F2"), F(r.IulMeanBps, "F2"), F(r.IulQ95Bps, "F2"),
                        r.Windows.ToString("N0", CultureInfo.InvariantCulture), r.Parents.ToString("N0", CultureInfo.InvariantCulture)]);
                table.AddRow([.. cells]);
            }
            output.Console.Write(ConsoleTables.Fit(table));
            if (rows.Count == 0)
            {
                output.Console.MarkupLine("[yellow]No host frames or parent outcomes in range: run `dmaslip features` and `dmaslip attribute` first.[/]");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static string F(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
}
