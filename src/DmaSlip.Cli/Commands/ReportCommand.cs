using System.CommandLine;
using DmaSlip.Application.Analysis;
using DmaSlip.Cli.Internal;
using DmaSlip.Application.Reporting;
using DmaSlip.Reports.Model;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip report</c>: one self-contained HTML file with every section, from the store.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var outOption = new Option<string>("--out") { Description = "HTML file to write", DefaultValueFactory = _ => "./dmaslip-report.html" };
        var from = new Option<string?>("--from") { Description = "Start (inclusive): ISO-8601 or ns since the epoch" };
        var to = new Option<string?>("--to") { Description = "End (exclusive): ISO-8601 or ns since the epoch" };
        var drills = new Option<string?>("--drills") { Description = $"Drill results (JSON of `dmaslip drill all --json`); default: {ReportInputs.DrillsFileName} beside the database, if present" };
        var advice = new Option<string?>("--advice") { Description = $"Advice (JSON of `dmaslip advise --json`); default: {ReportInputs.AdviceFileName} beside the database, if present" };
        var title = new Option<string?>("--title") { Description = "Report title" };
        var sessions = SessionsOption.Create();
        var command = new Command("report", "Write a self-contained HTML report (inline CSS and SVG charts, no network): IS decomposition, regimes, markouts, "
            + "fill ratio, desk metrics, drills, advice, data quality.")
        {
            outOption, from, to, drills, advice, title, sessions,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var db = parse.GetValue(CommonOptions.Db)!;
            var f = TimeArg.Parse(parse.GetValue(from), "--from");
            var t = TimeArg.Parse(parse.GetValue(to), "--to");
            if (f is { } a && t is { } b && b <= a)
            {
                throw new UsageException("--to must be after --from.");
            }
            var request = new ReportRequest(f, t, SessionsOption.Load(parse.GetValue(sessions)),
                ReportFiles.Beside(db, parse.GetValue(drills), ReportInputs.DrillsFileName),
                ReportFiles.Beside(db, parse.GetValue(advice), ReportInputs.AdviceFileName),
                TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * Core.Domain.Time.NanosPerMilli,
                Path.GetFullPath(db));
            if (parse.GetValue(title) is { Length: > 0 } tt)
            {
                request = request with { Title = tt };
            }
            using var store = DmaSlipStore.OpenReadOnly(db);
            var (data, path, bytes) = ReportFiles.Write(store, request, parse.GetValue(outOption)!);
            if (output.Json)
            {
                output.WriteJson(ReportWriter.Json(data, path, bytes));
            }
            else
            {
                ReportWriter.PrintSummary(output, data, path, bytes);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
