using System.CommandLine;
using DmaSlip.Application.Analysis;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip attribute</c>: IS decomposition and outcome features per parent → parent_outcomes.</summary>
internal static class AttributeCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Parents arriving from (inclusive): ISO-8601 or ns" };
        var to = new Option<string?>("--to") { Description = "Parents arriving before (exclusive): ISO-8601 or ns" };
        var sessions = SessionsOption.Create();
        var command = new Command("attribute", "Decompose implementation shortfall per parent order (delay, impact, miss; C_iommu left null until a model fills it) and store parent_outcomes.")
        {
            from, to, sessions,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var segs = SessionsOption.Load(parse.GetValue(sessions));
            var f = TimeArg.Parse(parse.GetValue(from), "--from");
            var t = TimeArg.Parse(parse.GetValue(to), "--to");
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var s = AttributionRunner.Run(store, f, t, segs);
            if (output.Json)
            {
                output.WriteJson(s);
            }
            else
            {
                output.Console.MarkupLine($"{s.Attributed} parents attributed, {s.Added} new parent_outcomes rows, {s.WithoutQuotes} without quotes (mids fall back to the arrival mid).");
                var table = new Table().AddColumn("branch").AddColumn(new TableColumn("parents").RightAligned());
                foreach (var (branch, n) in s.Branches.OrderBy(b => b.Key, StringComparer.Ordinal))
                {
                    table.AddRow(branch, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                output.Console.Write(ConsoleTables.Fit(table));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
