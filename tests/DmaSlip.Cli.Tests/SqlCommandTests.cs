using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests;

/// <summary><c>dmaslip sql</c>: read-only queries as a table, CSV or JSON, and clear errors for what it refuses.</summary>
public sealed class SqlCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-sql-").FullName;
    private readonly string _db;

    public SqlCommandTests()
    {
        _db = Path.Combine(_dir, "t.duckdb");
        using var store = DmaSlipStore.Open(_db);
        store.Insert([
            new RegimeTransition("tr-a1", 1_000, Regime.MapStable, Regime.PressureWatch, "dfi_rising dfi=55.0>=50"),
            new RegimeTransition("tr-a1", 2_000, Regime.PressureWatch, Regime.FlushStorm, "storm_dfi_pso, \"quoted\""),
            new RegimeTransition("tr-b2", 3_000, Regime.MapStable, Regime.PressureWatch, "pso_rising"),
        ]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Csv_has_a_header_and_quotes_fields_with_commas_and_quotes()
    {
        var (exit, output, err) = CliRunner.Run("sql", "SELECT host, ts_ns, reason FROM regime_transitions ORDER BY ts_ns", "--db", _db, "--format", "csv");
        Assert.True(exit == 0, err);
        Assert.Equal(
            "host,ts_ns,reason\ntr-a1,1000,dfi_rising dfi=55.0>=50\ntr-a1,2000,\"storm_dfi_pso, \"\"quoted\"\"\"\ntr-b2,3000,pso_rising\n",
            output);
    }

    [Fact]
    public void Json_keeps_numbers_as_numbers_and_null_as_null()
    {
        var (exit, output, err) = CliRunner.Run("sql", "SELECT host, count(*) AS n, max(ts_ns) / 1000.0 AS last_us, NULL AS nothing FROM regime_transitions GROUP BY host ORDER BY host", "--db", _db, "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("tr-a1", rows[0].GetProperty("host").GetString());
        Assert.Equal(2, rows[0].GetProperty("n").GetInt64());
        Assert.Equal(2.0, rows[0].GetProperty("last_us").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("nothing").ValueKind);
    }

    [Fact]
    public void A_table_shows_every_row_and_says_how_many()
    {
        var (exit, output, err) = CliRunner.Run("sql", "SELECT host, reason FROM regime_transitions ORDER BY ts_ns", "--db", _db);
        Assert.True(exit == 0, err);
        Assert.Contains("tr-b2", output, StringComparison.Ordinal);
        Assert.Contains("pso_rising", output, StringComparison.Ordinal);
        Assert.Contains("3 rows", output, StringComparison.Ordinal);
        var (_, capped, _) = CliRunner.Run("sql", "SELECT host FROM regime_transitions", "--db", _db, "--max-rows", "2");
        // the caption wraps to the (narrow) table's width
        Assert.Contains("first 2 rows; more not shown", System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(capped, @"\x1b\[[0-9;]*m", ""), @"\s+", " "), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DELETE FROM regime_transitions")]
    [InlineData("INSERT INTO regime_transitions VALUES ('x', 1, 'MAP_STABLE', 'FLUSH_STORM', 'r')")]
    [InlineData("CREATE TABLE t (x INTEGER)")]
    [InlineData("COPY regime_transitions TO '/tmp/dmaslip-sql-escape.csv'")]
    [InlineData("SET access_mode = 'READ_WRITE'")]
    public void Writes_and_files_outside_the_database_are_refused_with_one_line_and_exit_3(string statement)
    {
        var (exit, output, err) = CliRunner.Run("sql", statement, "--db", _db);
        Assert.Equal(ExitCodes.Input, exit);
        Assert.StartsWith("error: sql: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("", output);
        using var store = DmaSlipStore.Open(_db);
        Assert.Equal(3, store.Count("regime_transitions"));
        Assert.False(File.Exists("/tmp/dmaslip-sql-escape.csv"));
    }

    [Fact]
    public void A_bad_query_a_missing_database_and_a_bad_format_have_their_exit_codes()
    {
        var (exit, _, err) = CliRunner.Run("sql", "SELEC nonsense", "--db", _db);
        Assert.Equal(ExitCodes.Input, exit);
        Assert.Contains("syntax error", err, StringComparison.OrdinalIgnoreCase);
        var (missing, _, missingErr) = CliRunner.Run("sql", "SELECT 1", "--db", Path.Combine(_dir, "none.duckdb"));
        Assert.Equal(ExitCodes.Input, missing);
        Assert.Contains("no such file", missingErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "none.duckdb")));
        var (usage, _, _) = CliRunner.Run("sql", "SELECT 1", "--db", _db, "--format", "xml");
        Assert.Equal(ExitCodes.Usage, usage);
    }
}
