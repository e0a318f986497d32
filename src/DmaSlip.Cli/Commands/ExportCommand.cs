using System.CommandLine;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip export</c>: tables to Parquet, partitioned by date and pool.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var outOption = new Option<string>("--out") { Description = "Folder to write <table>/date=.../pool=.../*.parquet into", Required = true };
        var tablesOption = new Option<string[]>("--tables")
        {
            Description = "Tables to export (default: all)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("export", "Export tables to Parquet (zstd), hive-partitioned by date and, where the table has one, pool.")
        {
            outOption,
            tablesOption,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var tables = TableArgs.Parse(parse.GetValue(tablesOption));
            using var store = DmaSlipStore.OpenExisting(parse.GetValue(CommonOptions.Db)!);
            var result = store.ExportParquet(parse.GetValue(outOption)!, tables);
            if (output.Json)
            {
                output.WriteJson(new { @out = Path.GetFullPath(parse.GetValue(outOption)!), tables = result.Select(r => new { table = r.Table, rows = r.Rows }) });
            }
            else
            {
                var t = new Table().AddColumn("table").AddColumn(new TableColumn("rows").RightAligned());
                foreach (var (name, rows) in result)
                {
                    t.AddRow(name, rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
                }
                output.Console.Write(ConsoleTables.Fit(t));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
