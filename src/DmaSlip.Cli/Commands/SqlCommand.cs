using System.CommandLine;
using DmaSlip.Cli.Internal;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using DuckDB.NET.Data;

namespace DmaSlip.Cli.Commands;

/// <summary>
/// <c>dmaslip sql "SELECT …"</c>: one query against the database opened read-only (no writes, no files outside it),
/// printed as a table, CSV or JSON. A query DuckDB refuses (syntax, unknown table, a write) is an input error (3).
/// </summary>
internal static class SqlCommand
{
    public static Command Create()
    {
        var queryArgument = new Argument<string>("QUERY") { Description = "One SQL statement, e.g. \"SELECT pool, count(*) FROM host_frames GROUP BY pool\"" };
        var formatOption = new Option<string>("--format")
        {
            Description = "table (default), csv or json (--json is the same as --format json)",
            DefaultValueFactory = _ => "table",
        };
        formatOption.AcceptOnlyFromAmong("table", "csv", "json");
        var maxRowsOption = new Option<int>("--max-rows")
        {
            Description = "Rows a table shows (csv and json write every row); the caption says when more were left out",
            DefaultValueFactory = _ => 1000,
        };
        var command = new Command("sql", "Run a read-only SQL query on the database (DuckDB dialect; the tables are in docs/ARCHITECTURE.md).")
        {
            queryArgument, formatOption, maxRowsOption,
        };
        command.SetAction(parse =>
        {
            var json = parse.GetValue(CommonOptions.Json);
            var format = json ? "json" : parse.GetValue(formatOption)!;
            var maxRows = parse.GetValue(maxRowsOption);
            if (maxRows < 1)
            {
                throw new UsageException("--max-rows must be at least 1.");
            }
            var query = parse.GetValue(queryArgument)!;
            if (string.IsNullOrWhiteSpace(query))
            {
                throw new UsageException("QUERY is empty.");
            }
            var stdout = parse.InvocationConfiguration.Output;
            using var store = DmaSlipStore.OpenForQueries(parse.GetValue(CommonOptions.Db)!);
            using var cursor = Run(store, query);
            try
            {
                switch (format)
                {
                    case "csv":
                        SqlValueText.WriteCsv(stdout, cursor.Columns, cursor.Rows());
                        break;
                    case "json":
                        using (var ms = new MemoryStream())
                        {
                            SqlValueText.WriteJson(ms, cursor.Columns, cursor.Rows());
                            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
                        }
                        break;
                    default:
                        var output = new Output(stdout, parse.InvocationConfiguration.Error, json: false);
                        var shown = new List<string?[]>();
                        var more = false;
                        foreach (var row in cursor.Rows())
                        {
                            if (shown.Count == maxRows)
                            {
                                more = true;
                                break;
                            }
                            shown.Add(Array.ConvertAll(row, SqlValueText.Text));
                        }
                        var caption = more ? $"first {shown.Count:N0} rows; more not shown (--max-rows, or --format csv for all)" : $"{shown.Count:N0} rows";
                        output.Console.Write(ConsoleTables.Rows(cursor.Columns, shown, caption));
                        break;
                }
            }
            catch (DuckDBException ex)
            {
                throw new InputException("sql: " + FirstLine(ex.Message), ex);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static SqlCursor Run(DmaSlipStore store, string query)
    {
        try
        {
            return store.SqlStream(query);
        }
        catch (DuckDBException ex)
        {
            throw new InputException("sql: " + FirstLine(ex.Message), ex);
        }
    }

    private static string FirstLine(string message)
    {
        var i = message.IndexOf('\n', StringComparison.Ordinal);
        return (i < 0 ? message : message[..i]).Trim();
    }
}
