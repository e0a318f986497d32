using System.Globalization;

namespace DmaSlip.Storage;

/// <summary>
/// The memory bound of DuckDB on every file database the store opens (docs/ARCHITECTURE.md "Storage"): DuckDB's
/// <c>memory_limit</c> (its buffer pool: cached blocks, sorts, hash tables, indexes) and the <c>temp_directory</c> it
/// spills to beyond it. Without a limit DuckDB takes 80 % of RAM and keeps what a long ingest or a day's features read
/// resident up to it. Default: an eighth of the memory this process may use (the machine's, or its container's limit),
/// at least 256 MiB and at most 1 GiB; the spill folder is DuckDB's own default, <c>DB.tmp</c> beside the database file.
/// Overridden by <see cref="LimitVariable"/> (a DuckDB size such as <c>4GB</c> or <c>750MB</c>) and
/// <see cref="TempVariable"/> (a folder).
/// </summary>
public static class StoreMemory
{
    /// <summary>Environment variable overriding the memory limit (a DuckDB size: <c>1GB</c>, <c>512MB</c>, ...).</summary>
    public const string LimitVariable = "DMASLIP_DUCKDB_MEMORY_LIMIT";

    /// <summary>Environment variable overriding the folder DuckDB spills to.</summary>
    public const string TempVariable = "DMASLIP_DUCKDB_TEMP_DIRECTORY";

    private const long MiB = 1L << 20;
    private const long MinBytes = 256 * MiB;
    private const long MaxBytes = 1024 * MiB;

    /// <summary>The default limit for a process that may use <paramref name="availableBytes"/> of memory (MiB, DuckDB syntax).</summary>
    public static string DefaultLimit(long availableBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Clamp(availableBytes / 8, MinBytes, MaxBytes) / MiB}MiB");

    /// <summary>The limit in force: <see cref="LimitVariable"/> when set, else <see cref="DefaultLimit"/> of this process's memory.</summary>
    public static string Limit()
    {
        var set = Environment.GetEnvironmentVariable(LimitVariable);
        if (string.IsNullOrWhiteSpace(set))
        {
            return DefaultLimit(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        }
        var value = set.Trim();
        // DuckDB parses the size; refuse here only what would break the connection string.
        if (value.AsSpan().IndexOfAny(";'\"=") >= 0)
        {
            throw new StoreUnavailableException($"{LimitVariable}='{set}' is not a memory size (e.g. 2GB or 750MB).");
        }
        return value;
    }

    /// <summary>The spill folder of the database at <paramref name="databasePath"/>: <see cref="TempVariable"/> when set, else <c>DB.tmp</c>.</summary>
    public static string TempDirectory(string databasePath)
    {
        var set = Environment.GetEnvironmentVariable(TempVariable);
        var dir = string.IsNullOrWhiteSpace(set) ? databasePath + ".tmp" : Path.GetFullPath(set.Trim());
        if (dir.AsSpan().IndexOfAny(";'\"") >= 0)
        {
            throw new StoreUnavailableException($"Cannot use '{dir}' as DuckDB's spill folder: it contains ; or a quote (set {TempVariable} to another folder).");
        }
        return dir;
    }

    /// <summary>The connection-string settings (<c>memory_limit=...;temp_directory=...</c>) for the database at <paramref name="databasePath"/>.</summary>
    internal static string Settings(string databasePath) => $"memory_limit={Limit()};temp_directory={TempDirectory(databasePath)}";
}
