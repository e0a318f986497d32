using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Control;

public sealed class RegimeControllerTests
{
    private const long Ms = Time.NanosPerMilli;
    private static readonly RegimeSignals Calm = new(5, 0.5, 0.9, 0, 0);
    private static readonly RegimeSignals Watch = new(55, 0.5, 0.9, 0, 0);
    private static readonly RegimeSignals Storm = new(85, 5.0, 3.0, 0, 0);

    /// <summary>The defaults with an immediate watch (these tests time the watch edge frame by frame).</summary>
    private static RegimeControllerConfig Immediate => RegimeControllerConfig.Default with { WatchConfirmNs = 0 };

    private static RegimeControllerConfig NoConfirm => Immediate with { StormConfirmNs = 0 };

    [Fact]
    public void A_new_controller_is_map_stable_with_the_normal_policy()
    {
        var c = new RegimeController(RegimeControllerConfig.Default, 1000);
        Assert.Equal(Regime.MapStable, c.Current);
        Assert.Equal(RegimeControllerConfig.Default.MapStablePolicy, c.Policy);
        Assert.Equal(ReasonCode.None, c.LastReason.Code);
        Assert.Equal(1000, c.EnteredAtNs);
    }

    [Fact]
    public void Dfi_at_the_watch_enter_threshold_moves_to_pressure_watch_with_a_dfi_reason()
    {
        var c = new RegimeController(Immediate);
        Assert.False(c.Update(100 * Ms, new RegimeSignals(49.9, 0.5, 0.9, 0, 0)));
        Assert.True(c.Update(200 * Ms, new RegimeSignals(50, 0.5, 0.9, 0, 0)));
        Assert.Equal(Regime.PressureWatch, c.Current);
        Assert.Equal(new TransitionReason(ReasonCode.DfiRising, SignalKind.Dfi, 50, 50), c.LastReason);
        Assert.Equal("dfi_rising: dfi=50 >= 50", c.LastReason.ToString());
        Assert.Equal(RegimeControllerConfig.Default.PressureWatchPolicy, c.Policy);
    }

    [Fact]
    public void With_the_default_200_ms_watch_confirmation_a_one_window_spike_is_ignored_and_a_sustained_one_escalates()
    {
        var c = new RegimeController(RegimeControllerConfig.Default);
        var spike = new RegimeSignals(70, 0.5, 0.9, 0, 0);
        var calm = new RegimeSignals(10, 0.5, 0.9, 0, 0);
        // A microburst: one 100 ms window above the watch threshold, then calm.
        Assert.False(c.Update(100 * Ms, spike));
        Assert.False(c.Update(200 * Ms, calm));
        Assert.Equal(Regime.MapStable, c.Current);
        // Sustained from 300 ms: held 0 and 100 ms (not yet), 200 ms at the 500 ms frame (escalates).
        Assert.False(c.Update(300 * Ms, spike));
        Assert.False(c.Update(400 * Ms, spike));
        Assert.True(c.Update(500 * Ms, spike));
        Assert.Equal(Regime.PressureWatch, c.Current);
    }

    [Fact]
    public void The_watch_reason_names_the_signal_most_above_its_threshold()
    {
        var c = new RegimeController(Immediate);
        // DFI at 1.04x its threshold, PSO at 1.5x: PSO is the reason.
        c.Update(1, new RegimeSignals(52, 0.5, 2.4, 0, 0));
        Assert.Equal(ReasonCode.PsoRising, c.LastReason.Code);
        Assert.Equal(2.4, c.LastReason.Value);
    }

    [Fact]
    public void Escalation_moves_one_level_per_update_even_when_signals_jump_to_storm_levels()
    {
        var c = new RegimeController(NoConfirm);
        Assert.True(c.Update(100 * Ms, Storm));
        Assert.Equal(Regime.PressureWatch, c.Current);
        Assert.True(c.Update(200 * Ms, Storm));
        Assert.Equal(Regime.FlushStorm, c.Current);
        Assert.Equal(ReasonCode.StormDfiPso, c.LastReason.Code);
    }

    [Fact]
    public void Flush_storm_needs_its_condition_to_hold_for_the_confirmation_time()
    {
        var c = new RegimeController(Immediate); // storm confirm 200 ms
        c.Update(0, Storm);
        Assert.Equal(Regime.PressureWatch, c.Current);
        Assert.False(c.Update(100 * Ms, Storm)); // clock starts
        Assert.False(c.Update(200 * Ms, Watch)); // broken: clock resets
        Assert.False(c.Update(300 * Ms, Storm)); // starts again
        Assert.False(c.Update(400 * Ms, Storm)); // 100 ms held
        Assert.True(c.Update(500 * Ms, Storm)); // 200 ms held
        Assert.Equal(Regime.FlushStorm, c.Current);
    }

    [Fact]
    public void Dfi_alone_at_storm_level_needs_the_longer_dfi_only_confirmation()
    {
        var c = new RegimeController(Immediate); // storm confirm 200 ms, DFI-only 1 s
        var dfiOnly = new RegimeSignals(95, 1.0, 1.0, 0, 0);
        c.Update(0, dfiOnly);
        Assert.Equal(Regime.PressureWatch, c.Current);
        for (var t = 100 * Ms; t < 1100 * Ms; t += 100 * Ms)
        {
            Assert.False(c.Update(t, dfiOnly)); // clock started at 100 ms
        }
        Assert.True(c.Update(1100 * Ms, dfiOnly));
        Assert.Equal(Regime.FlushStorm, c.Current);
        Assert.Equal(ReasonCode.StormDfiSustained, c.LastReason.Code);
        Assert.Equal("storm_dfi_sustained: dfi=95 >= 80", c.LastReason.ToString());
    }

    [Fact]
    public void A_storm_is_held_while_dfi_stays_above_its_exit_even_when_companions_fall()
    {
        var c = new RegimeController(NoConfirm with { StormDwellNs = 0 });
        c.Update(0, Storm);
        c.Update(1, Storm);
        Assert.Equal(Regime.FlushStorm, c.Current);
        Assert.False(c.Update(2, new RegimeSignals(65, 0.5, 0.9, 0, 0)));
        Assert.True(c.Update(3, new RegimeSignals(55, 0.5, 0.9, 0, 0)));
        Assert.Equal(Regime.PressureWatch, c.Current);
        Assert.Equal("storm_subsided: dfi=55 < 60", c.LastReason.ToString());
    }

    [Fact]
    public void Pressure_watch_is_held_for_its_dwell_before_stepping_down_and_the_reason_says_calm()
    {
        var cfg = Immediate; // watch dwell 5 s
        var c = new RegimeController(cfg);
        c.Update(0, Watch);
        for (var t = 100 * Ms; t < 5000 * Ms; t += 100 * Ms)
        {
            Assert.False(c.Update(t, Calm));
        }
        Assert.True(c.Update(5000 * Ms, Calm));
        Assert.Equal(Regime.MapStable, c.Current);
        Assert.Equal(ReasonCode.SignalsCalm, c.LastReason.Code);
    }

    [Fact]
    public void Signals_inside_the_hysteresis_band_hold_the_state()
    {
        var c = new RegimeController(Immediate);
        c.Update(0, Watch);
        // 40 is below the enter (50) but above the exit (30): no step down, however long.
        for (var t = 1; t < 1000; t++)
        {
            Assert.False(c.Update(t * Time.NanosPerSecond, new RegimeSignals(40, 0.5, 0.9, 0, 0)));
        }
        Assert.Equal(Regime.PressureWatch, c.Current);
    }

    [Fact]
    public void Safe_dma_contain_needs_both_repeated_storms_and_deadline_pressure()
    {
        var c = new RegimeController(NoConfirm);
        var t = 0L;
        Drive(c, ref t, Storm, 2);
        Assert.Equal(Regime.FlushStorm, c.Current);
        Drive(c, ref t, Storm with { DeadlinePressure = 0.9 }, 5); // first storm: recurrence 1
        Assert.Equal(Regime.FlushStorm, c.Current);
        Drive(c, ref t, Storm with { StormRecurrence = 3, DeadlinePressure = 0.2 }, 5); // recurrent but no deadline pressure
        Assert.Equal(Regime.FlushStorm, c.Current);
        Assert.True(c.Update(t += 100 * Ms, Storm with { StormRecurrence = 3, DeadlinePressure = 0.6 }));
        Assert.Equal(Regime.SafeDmaContain, c.Current);
        Assert.Equal(ReasonCode.RepeatedStormDeadline, c.LastReason.Code);
        Assert.Equal(3, c.LastReason.Value);
        Assert.Equal(RoutingPreference.ValidatedLowPressureOnly, c.Policy.Routing);
        Assert.Equal(CompletionMode.Conservative, c.Policy.Completion);
    }

    [Fact]
    public void The_controller_counts_its_own_storms_as_recurrence()
    {
        var cfg = NoConfirm with { StormDwellNs = 0, WatchDwellNs = 0 };
        var c = new RegimeController(cfg);
        var t = 0L;
        Drive(c, ref t, Storm, 2);
        Drive(c, ref t, Watch, 1); // storm subsided
        Assert.Equal(Regime.PressureWatch, c.Current);
        Drive(c, ref t, Storm, 1); // second storm
        Assert.Equal(Regime.FlushStorm, c.Current);
        Assert.Equal(2, c.OwnStormRecurrence(t));
        Assert.True(c.Update(t += 100 * Ms, Storm with { DeadlinePressure = 0.7 }));
        Assert.Equal(Regime.SafeDmaContain, c.Current);
        // An hour later the storms have aged out of the window.
        Assert.Equal(0, c.OwnStormRecurrence(t + Time.NanosPerHour));
    }

    /// <summary>A repeated storm under deadline pressure: SAFE_DMA_CONTAIN after three frames (no confirmation).</summary>
    private static readonly RegimeSignals Hot = new(85, 5.0, 3.0, 2, 0.8);

    private static (RegimeController Controller, long T) Contained()
    {
        var c = new RegimeController(NoConfirm);
        var t = 0L;
        Drive(c, ref t, Hot, 3);
        Assert.Equal(Regime.SafeDmaContain, c.Current);
        return (c, t);
    }

    [Fact]
    public void Safe_dma_contain_holds_while_the_storm_does_however_deadline_pressure_moves()
    {
        // issue 19: releasing containment when deadline pressure eased made FLUSH_STORM ↔ SAFE_DMA_CONTAIN cycle on
        // every 30 s dwell (the containment policy itself moves the book's deadline pressure).
        var (c, t) = Contained();
        for (var i = 0; i < 3000; i++) // 5 minutes of storm with deadline pressure swinging 0.1 ↔ 0.8 every 20 s
        {
            Assert.False(c.Update(t += 100 * Ms, Hot with { DeadlinePressure = i / 200 % 2 == 0 ? 0.1 : 0.8 }));
        }
        Assert.Equal(Regime.SafeDmaContain, c.Current);
    }

    [Fact]
    public void Safe_dma_contain_is_left_once_the_storm_has_subsided_for_the_storm_dwell_straight_to_map_stable_when_calm()
    {
        var (c, t) = Contained();
        Drive(c, ref t, Hot, 400); // 40 s: the contain dwell (30 s) is served
        var subsided = t;
        var calm = Calm with { StormRecurrence = 2, DeadlinePressure = 0.8 };
        while (t + 100 * Ms - subsided < 10 * Time.NanosPerSecond + 100 * Ms)
        {
            Assert.False(c.Update(t += 100 * Ms, calm)); // the storm's dwell (10 s) of subsidence first
        }
        Assert.True(c.Update(t += 100 * Ms, calm));
        Assert.Equal(Regime.MapStable, c.Current);
        Assert.Equal(ReasonCode.SignalsCalm, c.LastReason.Code);
    }

    [Fact]
    public void Safe_dma_contain_steps_to_pressure_watch_when_the_storm_subsides_to_watch_level_and_a_relapse_restarts_the_clock()
    {
        var (c, t) = Contained();
        Drive(c, ref t, Hot, 400);
        Drive(c, ref t, Watch, 50);          // 5 s subsided
        Drive(c, ref t, Hot, 1);             // relapse: the subsidence clock restarts
        Drive(c, ref t, Watch, 100);         // 10 s: not yet (the first update starts the clock)
        Assert.Equal(Regime.SafeDmaContain, c.Current);
        Assert.True(c.Update(t += 100 * Ms, Watch));
        Assert.Equal(Regime.PressureWatch, c.Current);
        Assert.Equal(ReasonCode.StormSubsided, c.LastReason.Code);
    }

    [Fact]
    public void A_subsided_storm_is_not_contained()
    {
        var cfg = NoConfirm with { StormDwellNs = 60 * Time.NanosPerSecond };
        var c = new RegimeController(cfg);
        var t = 0L;
        Drive(c, ref t, Storm, 2);
        Assert.Equal(Regime.FlushStorm, c.Current);
        Drive(c, ref t, Watch with { StormRecurrence = 3, DeadlinePressure = 0.9 }, 20); // DFI 55 < storm exit 60
        Assert.Equal(Regime.FlushStorm, c.Current);
    }

    [Fact]
    public void A_missing_dfi_holds_the_state()
    {
        var c = new RegimeController(Immediate with { WatchDwellNs = 0 });
        c.Update(0, Watch);
        Assert.False(c.Update(Time.NanosPerSecond, new RegimeSignals(double.NaN, double.NaN, double.NaN, 0, 0)));
        Assert.Equal(Regime.PressureWatch, c.Current);
    }

    [Fact]
    public void A_missing_djs_neither_raises_nor_holds_a_watch()
    {
        var c = new RegimeController(Immediate with { WatchDwellNs = 0 });
        Assert.False(c.Update(0, new RegimeSignals(5, double.NaN, 0.9, 0, 0)));
        c.Update(1, Watch);
        Assert.True(c.Update(2, new RegimeSignals(5, double.NaN, 0.9, 0, 0)));
        Assert.Equal(Regime.MapStable, c.Current);
    }

    [Fact]
    public void An_update_older_than_the_last_is_ignored_and_counted()
    {
        var c = new RegimeController(Immediate);
        c.Update(1000, Calm);
        Assert.False(c.Update(999, Storm));
        Assert.Equal(Regime.MapStable, c.Current);
        Assert.Equal(1, c.OutOfOrderUpdates);
    }

    [Fact]
    public void Reconfigure_swaps_the_policy_of_the_current_regime_at_the_next_update()
    {
        var c = new RegimeController(Immediate);
        c.Update(0, Watch);
        var tighter = RegimeControllerConfig.Default with
        {
            PressureWatchPolicy = RegimeControllerConfig.Default.PressureWatchPolicy with { MaxChildBurst = 3 },
        };
        c.Reconfigure(tighter);
        Assert.Same(tighter, c.Config);
        c.Update(1, Watch);
        Assert.Equal(3, c.Policy.MaxChildBurst);
        Assert.Equal(Regime.PressureWatch, c.Current);
    }

    [Fact]
    public void Reconfigure_with_an_invalid_config_throws_and_keeps_the_old_snapshot()
    {
        var c = new RegimeController(RegimeControllerConfig.Default);
        var bad = RegimeControllerConfig.Default with { WatchExit = new SignalThresholds(60, 1.5, 1.3) };
        var ex = Assert.Throws<ConfigValidationException>(() => c.Reconfigure(bad));
        Assert.Contains(ex.Errors, m => m.Contains("watch.enter.dfi (50) must be above watch.exit.dfi (60)", StringComparison.Ordinal));
        Assert.Same(RegimeControllerConfig.Default, c.Config);
    }

    [Fact]
    public void Update_does_not_allocate()
    {
        var c = new RegimeController(NoConfirm with { WatchDwellNs = 0, StormDwellNs = 0, ContainDwellNs = 0 });
        var signals = new[] { Calm, Watch, Storm, Storm with { StormRecurrence = 3, DeadlinePressure = 0.9 }, Watch, Calm };
        for (var i = 0; i < 10_000; i++)
        {
            c.Update(i, signals[i % signals.Length]); // warm up every path (JIT tiers)
        }
        var allocated = DmaSlip.Testing.Allocations.SteadyState(3, run =>
        {
            var from = 10_000 + run * 1_000_000;
            for (var i = from; i < from + 1_000_000; i++)
            {
                c.Update(i, signals[i % signals.Length]);
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(c.Transitions > 100_000, "every path was exercised");
    }

    private static void Drive(RegimeController c, ref long t, RegimeSignals s, int updates)
    {
        for (var i = 0; i < updates; i++)
        {
            c.Update(t += 100 * Ms, s);
        }
    }
}
