using DuckDB.NET.Data;

namespace DmaSlip.Storage.Tests;

/// <summary>A database file as an older build left it: the migrations before a version applied, nothing after.</summary>
internal static class OlderDatabase
{
    /// <summary>A database at the schema of the migrations before <paramref name="version"/>, open for writing old-layout rows.</summary>
    public static DuckDBConnection Before(string path, int version)
    {
        var c = new DuckDBConnection($"DataSource={path}");
        c.Open();
        Run(c, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_ns BIGINT NOT NULL)");
        foreach (var (v, name) in Migrator.Available.Where(m => m.Version < version))
        {
            Run(c, Migrator.Read(name));
            Run(c, $"INSERT INTO schema_migrations VALUES ({v}, '{name}', 0)");
        }
        return c;
    }

    public static void Run(DuckDBConnection c, string sql) => Migrator.Execute(c, sql);
}
