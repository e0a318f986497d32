using System.Text.Json;
using DmaSlip.Application.Control;
using DmaSlip.Application.Drills;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Cli.Tests.Drills;

public sealed class FlushBurstReplayDrillTests
{
    private static readonly DrillContext Ctx = new(1, Path.GetTempPath(), TextWriter.Null);

    [Fact]
    public void The_synthetic_burst_passes_with_the_default_config()
    {
        var r = FlushBurstReplayDrill.Evaluate(FlushBurstReplayDrill.Synthetic(Ctx), RegimeControllerConfig.Default);
        Assert.True(r.Passed, string.Join("; ", r.Criteria));
        Assert.Equal(true, r.Evidence["p99_doubled_within_recording"]);
    }

    [Fact]
    public void A_controller_that_waits_too_long_fails_the_drill()
    {
        // Confirming the watch for 2 s makes it late: the criterion must be able to fail.
        var slow = RegimeControllerConfig.Default with { WatchConfirmNs = 2 * Time.NanosPerSecond };
        var r = FlushBurstReplayDrill.Evaluate(FlushBurstReplayDrill.Synthetic(Ctx), slow);
        Assert.False(r.Passed);
        Assert.False(r.Criteria.Single(c => c.Name == "watch_latency_ms").Passed);
    }

    [Fact]
    public void A_watch_raised_by_calm_noise_before_onset_fails_the_drill()
    {
        var jumpy = RegimeControllerConfig.Default with
        {
            WatchEnter = new SignalThresholds(1, 2, 1.6),
            WatchExit = new SignalThresholds(0.5, 1.5, 1.3),
            StormEnter = RegimeControllerConfig.Default.StormEnter,
            WatchDwellNs = 0,
        };
        var r = FlushBurstReplayDrill.Evaluate(FlushBurstReplayDrill.Synthetic(Ctx), jumpy);
        Assert.False(r.Criteria.Single(c => c.Name == "escalations_before_onset").Passed);
    }

    [Fact]
    public void A_drill_that_measured_nothing_fails()
    {
        var empty = new BurstRecording("empty", "h", 0, Array.Empty<HostFrame>(), []);
        Assert.False(FlushBurstReplayDrill.Evaluate(empty, RegimeControllerConfig.Default).Passed);
    }

    [Fact]
    public void Drill_json_has_the_issue_shape_and_exit_code_0_on_pass()
    {
        var (exit, output, err) = CliRunner.Run("drill", "flush-burst-replay", "--seed", "2", "--json");
        Assert.True(exit == 0, err + output);
        using var doc = JsonDocument.Parse(output);
        var d = doc.RootElement.GetProperty("drills")[0];
        Assert.Equal("flush-burst-replay", d.GetProperty("name").GetString());
        Assert.True(d.GetProperty("passed").GetBoolean());
        var c = d.GetProperty("criteria")[0];
        foreach (var field in new[] { "name", "value", "threshold", "passed" })
        {
            Assert.True(c.TryGetProperty(field, out _), field);
        }
        Assert.Equal(JsonValueKind.Object, d.GetProperty("evidence").ValueKind);
    }

    [Fact]
    public void An_unknown_drill_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("drill", "nope").Exit);
    }
}
