using System.Text.Json;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests;

public sealed class CliUsageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Help_lists_the_commands()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        foreach (var name in new[] { "demo", "export", "import" })
        {
            Assert.Contains(name, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (var command in CliApp.BuildRoot().Subcommands)
        {
            var (exit, output, _) = CliRunner.Run(command.Name, "--help");
            Assert.Equal(0, exit);
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"{command.Name} has no description");
        }
    }

    [Fact]
    public void An_unknown_command_exits_2_with_a_message()
    {
        var (exit, _, err) = CliRunner.Run("nosuchcommand");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("nosuchcommand", err, StringComparison.Ordinal);
        Assert.Contains("--help", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_option_exits_2()
    {
        var (exit, _, err) = CliRunner.Run("export", "--db", Path.Combine(_dir, "x.duckdb"));
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--out", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_option_value_exits_2()
    {
        var (exit, _, _) = CliRunner.Run("demo", "--seed", "not-a-number", "--out", _dir);
        Assert.Equal(ExitCodes.Usage, exit);
    }

    [Fact]
    public void Exporting_an_unknown_table_exits_2_naming_the_known_tables()
    {
        var (exit, _, err) = CliRunner.Run("export", "--db", Path.Combine(_dir, "x.duckdb"), "--out", _dir, "--tables", "nope");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("host_frames", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_json_writes_the_database_and_lists_the_stages_it_ran()
    {
        var outDir = Path.Combine(_dir, "demo");
        var (exit, output, err) = CliRunner.Run("demo", "--out", outDir, "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var db = doc.RootElement.GetProperty("db").GetString()!;
        Assert.Equal(Path.Combine(Path.GetFullPath(outDir), "dmaslip.duckdb"), db);
        Assert.True(File.Exists(db));
        var stages = doc.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetString()).ToArray();
        Assert.Equal(DmaSlip.Application.Demo.DemoPipeline.Stages().Select(s => s.Name), stages);
        Assert.True(doc.RootElement.GetProperty("seconds").GetDouble() >= 0);
        Assert.True(doc.RootElement.TryGetProperty("report", out _));
    }

    [Fact]
    public void A_database_locked_by_another_process_exits_3_with_a_clear_error()
    {
        var db = Path.Combine(_dir, "locked.duckdb");
        using var holder = DmaSlipStore.Open(db); // this test process holds the write lock
        var (exit, _, err) = CliRunner.RunProcess("export", "--db", db, "--out", Path.Combine(_dir, "out"));
        Assert.Equal(ExitCodes.Input, exit);
        Assert.Contains("locked by another process", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_then_import_through_the_cli_round_trips()
    {
        var db = Path.Combine(_dir, "a.duckdb");
        using (var store = DmaSlipStore.Open(db))
        {
            store.Insert(new[] { new Core.Domain.RouteChange(1, "p", "validated", "r", "ops") });
        }
        Assert.Equal(0, CliRunner.Run("export", "--db", db, "--out", Path.Combine(_dir, "pq"), "--tables", "routes").Exit);
        var (exit, output, _) = CliRunner.Run("import", Path.Combine(_dir, "pq"), "--db", Path.Combine(_dir, "b.duckdb"), "--json");
        Assert.Equal(0, exit);
        Assert.Contains("\"added\": 1", output, StringComparison.Ordinal);
    }
}
