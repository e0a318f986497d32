using System.CommandLine;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip import</c>: load a Parquet export back; rows already present are ignored.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var fromArgument = new Argument<string>("DIR") { Description = "A folder written by 'dmaslip export'" };
        var tablesOption = new Option<string[]>("--tables") { Description = "Tables to import (default: all present)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("import", "Import a Parquet export (idempotent: rows whose key exists are ignored).") { fromArgument, tablesOption };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var dir = parse.GetValue(fromArgument)!;
            if (!Directory.Exists(dir))
            {
                throw new InputException($"'{dir}' is not a folder.");
            }
            using var store = DmaSlipStore.Open(parse.GetValue(CommonOptions.Db)!);
            var result = store.ImportParquet(dir, TableArgs.Parse(parse.GetValue(tablesOption)));
            if (output.Json)
            {
                output.WriteJson(new { tables = result.Select(r => new { table = r.Table, added = r.Added }) });
            }
            else
            {
                var t = new Table().AddColumn("table").AddColumn(new TableColumn("rows added").RightAligned());
                foreach (var (name, added) in result)
                {
                    t.AddRow(name, added.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
                }
                output.Console.Write(ConsoleTables.Fit(t));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
