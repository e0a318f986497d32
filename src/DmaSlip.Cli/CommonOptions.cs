using System.CommandLine;

namespace DmaSlip.Cli;

/// <summary>Options every command understands.</summary>
internal static class CommonOptions
{
    public static Option<string> Db { get; } = new("--db")
    {
        Description = "DuckDB database file",
        DefaultValueFactory = _ => "./dmaslip.duckdb",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print a machine-readable JSON result on stdout instead of tables",
        Recursive = true,
    };
}
