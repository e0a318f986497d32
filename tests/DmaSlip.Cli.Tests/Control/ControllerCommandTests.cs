using System.Text.Json;
using DmaSlip.Application.Drills;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests.Control;

public sealed class ControllerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-ctl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Validate_accepts_the_printed_default_config()
    {
        var (exit, json, _) = CliRunner.Run("controller", "config");
        Assert.Equal(0, exit);
        var file = Path.Combine(_dir, "ctl.json");
        File.WriteAllText(file, json);
        var (vexit, vout, _) = CliRunner.Run("controller", "validate", file);
        Assert.Equal(0, vexit);
        Assert.Contains("valid", vout, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_lists_every_problem_and_exits_1()
    {
        var file = Path.Combine(_dir, "bad.json");
        File.WriteAllText(file, """{ "watch": { "exit": { "dfi": 90 }, "dwell_ms": -5 }, "stom": {} }""");
        var (exit, output, _) = CliRunner.Run("controller", "validate", file, "--json");
        Assert.Equal(ExitCodes.CheckFailed, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        var errors = doc.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("stom: unknown field (expected watch, storm, contain, recurrence_window_ms, policies)", errors);
    }

    [Fact]
    public void Validate_reads_yaml_with_the_same_rules()
    {
        var good = Path.Combine(_dir, "ctl.yaml");
        File.WriteAllText(good, "watch:\n  enter: { dfi: 45, pso: 1.8 }\n  dwell_ms: 3000\npolicies:\n  flush_storm:\n    max_child_burst: 3\n    routing: prefer_low_pressure\n");
        Assert.Equal(0, CliRunner.Run("controller", "validate", good).Exit);
        var (_, printed, _) = CliRunner.Run("controller", "config", "--config", good);
        Assert.Contains("\"dwell_ms\": 3000", printed, StringComparison.Ordinal);
        Assert.Contains("\"max_child_burst\": 3", printed, StringComparison.Ordinal);

        var bad = Path.Combine(_dir, "bad.yml");
        File.WriteAllText(bad, "storm:\n  exit:\n    dfi: 95\n");
        var (exit, output, _) = CliRunner.Run("controller", "validate", bad);
        Assert.Equal(ExitCodes.CheckFailed, exit);
        Assert.Contains("storm.enter.dfi (80) must be above storm.exit.dfi (95)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("watch:\n  dwell_ms: .nan\n", "'.nan' is not a finite number")]
    [InlineData("watch:\n  dwell_ms: 1e30\n", "watch.dwell_ms: 1E+30 ms is out of range")]
    public void Validate_gives_the_reason_for_a_nan_or_an_out_of_range_duration_and_a_command_using_it_exits_3(string yaml, string reason)
    {
        var file = Path.Combine(_dir, "odd.yaml");
        File.WriteAllText(file, yaml);
        var (exit, output, _) = CliRunner.Run("controller", "validate", file);
        Assert.Equal(ExitCodes.CheckFailed, exit);
        Assert.Contains(reason, output, StringComparison.Ordinal);
        // Where a command just needs a config, the same problem is an input error.
        var (aexit, _, aerr) = CliRunner.Run("controller", "config", "--config", file);
        Assert.Equal(ExitCodes.Input, aexit);
        Assert.Contains(reason, aerr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", aerr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_of_a_missing_file_is_an_input_error()
    {
        Assert.Equal(ExitCodes.Input, CliRunner.Run("controller", "validate", Path.Combine(_dir, "nope.json")).Exit);
    }

    [Fact]
    public void Replay_finds_the_storm_in_stored_frames_and_stores_transitions_with_reasons()
    {
        var db = Path.Combine(_dir, "t.duckdb");
        using (var store = DmaSlipStore.Open(db))
        {
            store.Insert([new HostInfo("h1", "poolA", "eth0", "ConnectX-6", "mlx5_core", "5.8", "6.8", IommuMode.Strict, 0, 0, "fp", 0, null)]);
            store.Insert(SyntheticFrames.WithStorm("h1", start: Time.FromDate(2026, 1, 5), minutes: 10, stormFromMin: 4, stormToMin: 6, seed: 3));
        }
        var (exit, output, err) = CliRunner.Run("--db", db, "controller", "replay", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var host = doc.RootElement.GetProperty("hosts")[0];
        Assert.Equal("h1", host.GetProperty("host").GetString());
        var path = host.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("to").GetString()!).ToArray();
        Assert.Equal(["PRESSURE_WATCH", "FLUSH_STORM", "PRESSURE_WATCH", "MAP_STABLE"], path);
        var storm = host.GetProperty("transitions")[1];
        Assert.StartsWith("storm_dfi_", storm.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // First transition within 500 ms of the storm's onset (minute 4).
        var onset = Time.FromDate(2026, 1, 5) + 4 * Time.NanosPerMinute;
        var first = host.GetProperty("transitions")[0].GetProperty("ts_ns").GetInt64();
        Assert.InRange(first - onset, 0, 500 * Time.NanosPerMilli);

        Assert.Equal(4, Count(db));
        // Replaying again replaces, never duplicates.
        Assert.Equal(0, CliRunner.Run("--db", db, "controller", "replay", "--host", "h1").Exit);
        Assert.Equal(4, Count(db));
    }

    private static long Count(string db)
    {
        using var store = DmaSlipStore.Open(db);
        return store.Count("regime_transitions");
    }

    [Fact]
    public void Replay_of_an_unknown_host_is_an_input_error()
    {
        var db = Path.Combine(_dir, "e.duckdb");
        using (DmaSlipStore.Open(db))
        {
        }
        Assert.Equal(ExitCodes.Input, CliRunner.Run("--db", db, "controller", "replay", "--host", "nohost").Exit);
    }
}
