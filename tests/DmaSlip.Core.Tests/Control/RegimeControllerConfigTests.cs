using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Control;

public sealed class RegimeControllerConfigTests
{
    [Fact]
    public void The_default_config_is_valid()
    {
        Assert.Empty(RegimeControllerConfig.Default.Validate());
    }

    [Fact]
    public void Validation_lists_every_broken_rule_with_its_field()
    {
        var bad = RegimeControllerConfig.Default with
        {
            StormExit = new SignalThresholds(90, 3, 2),
            WatchDwellNs = -1,
            RecurrenceWindowNs = 0,
            ContainEnter = new ContainThresholds(1, 0.2),
            FlushStormPolicy = RegimeControllerConfig.Default.FlushStormPolicy with { MaxChildBurst = 0 },
        };
        var errors = bad.Validate();
        Assert.Contains("storm.enter.dfi (80) must be above storm.exit.dfi (90): enter above exit is the hysteresis band", errors);
        Assert.Contains(errors, e => e.StartsWith("watch.dwell_ms: must be >= 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("recurrence_window_ms: must be > 0", StringComparison.Ordinal));
        Assert.Contains("contain.exit.storm_recurrence (2) must not be above contain.enter.storm_recurrence (1)", errors);
        Assert.Contains("contain.enter.deadline_pressure (0.2) must be above contain.exit.deadline_pressure (0.3)", errors);
        Assert.Contains("policies.flush_storm.max_child_burst: must be at least 1 (got 0)", errors);
        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void A_storm_enter_level_below_the_watch_enter_level_is_rejected()
    {
        var bad = RegimeControllerConfig.Default with { StormEnter = new SignalThresholds(30, 4, 2.5), StormExit = new SignalThresholds(20, 3, 2) };
        Assert.Contains("storm.enter.dfi (30) must not be below watch.enter.dfi (50)", bad.Validate());
    }

    [Fact]
    public void The_controller_refuses_an_invalid_config()
    {
        var bad = RegimeControllerConfig.Default with { WatchEnter = new SignalThresholds(40, 2, double.NaN) };
        var ex = Assert.Throws<ConfigValidationException>(() => new RegimeController(bad));
        Assert.Contains(ex.Errors, e => e.StartsWith("watch.enter.pso: must be a finite number", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_round_trips_the_config_exactly()
    {
        var cfg = RegimeControllerConfig.Default with
        {
            WatchEnter = new SignalThresholds(35.5, 1.75, 1.4),
            StormConfirmNs = 300 * Time.NanosPerMilli,
            SafeDmaContainPolicy = RegimeControllerConfig.Default.SafeDmaContainPolicy with { MinSpacingNs = 1500 * Time.NanosPerMicro },
        };
        var json = RegimeControllerConfigJson.Write(cfg);
        Assert.Equal(cfg, RegimeControllerConfigJson.Parse(json));
        Assert.Contains("\"replace_rate_cap_per_s\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"routing\": \"validated_low_pressure_only\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_fields_left_out_keep_their_defaults()
    {
        var cfg = RegimeControllerConfigJson.Parse("""{ "watch": { "enter": { "dfi": 45 }, "dwell_ms": 2500 } }""");
        Assert.Equal(45, cfg.WatchEnter.Dfi);
        Assert.Equal(RegimeControllerConfig.Default.WatchEnter.Djs, cfg.WatchEnter.Djs);
        Assert.Equal(2500 * Time.NanosPerMilli, cfg.WatchDwellNs);
        Assert.Equal(RegimeControllerConfig.Default.StormEnter, cfg.StormEnter);
    }

    [Fact]
    public void Json_with_a_misspelt_field_or_wrong_type_is_rejected_with_the_path()
    {
        Assert.Null(RegimeControllerConfigJson.TryParse("""{ "storm": { "entr": { "dfi": 45 } }, "watch": { "exit": { "pso": "high" } } }""", out var errors));
        Assert.Contains("storm.entr: unknown field (expected enter, exit, confirm_ms, dwell_ms, dfi_only_confirm_ms)", errors);
        Assert.Contains("watch.exit.pso: expected a number, got string", errors);
    }

    [Fact]
    public void Json_that_parses_but_breaks_a_rule_reports_the_rule()
    {
        Assert.Null(RegimeControllerConfigJson.TryParse("""{ "watch": { "exit": { "dfi": 60 } } }""", out var errors));
        Assert.Equal(["watch.enter.dfi (50) must be above watch.exit.dfi (60): enter above exit is the hysteresis band"], errors);
    }

    [Theory]
    [InlineData("""{ "watch": { "dwell_ms": 1e30 } }""", "watch.dwell_ms: 1E+30 ms is out of range")]
    [InlineData("""{ "contain": { "dwell_ms": -1e30 } }""", "contain.dwell_ms: -1E+30 ms is out of range")]
    [InlineData("""{ "recurrence_window_ms": 9.3e15 }""", "recurrence_window_ms: 9300000000000000 ms is out of range")]
    public void A_duration_beyond_what_nanoseconds_in_a_long_hold_is_refused_as_out_of_range_not_wrapped(string json, string reason)
    {
        Assert.Null(RegimeControllerConfigJson.TryParse(json, out var errors));
        var error = Assert.Single(errors);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        Assert.NotNull(RegimeControllerConfigJson.TryParse("""{ "watch": { "dwell_ms": 9.2e12 } }""", out _));
    }

    [Fact]
    public void Malformed_json_is_reported_not_thrown()
    {
        Assert.Null(RegimeControllerConfigJson.TryParse("{ \"watch\": ", out var errors));
        Assert.StartsWith("not valid JSON", errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_codes_round_trip_through_their_stored_text()
    {
        for (var code = ReasonCode.None; code <= ReasonCode.RecurrenceAged; code++)
        {
            var text = new TransitionReason(code, SignalKind.Dfi, 50, 40).ToString();
            Assert.True(TransitionReason.TryParseCode(text, out var parsed));
            Assert.Equal(code, parsed);
        }
    }
}
