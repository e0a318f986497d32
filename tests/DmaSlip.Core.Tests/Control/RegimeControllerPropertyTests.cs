using CsCheck;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Control;

public sealed class RegimeControllerPropertyTests
{
    private const long Frame = 100 * Time.NanosPerMilli;

    /// <summary>An arbitrary signal path: each frame's signals drawn across (and beyond) every threshold.</summary>
    private static readonly Gen<RegimeSignals[]> AnyPath =
        Gen.Select(Gen.Double[0, 100], Gen.Double[0, 6], Gen.Double[0, 4], Gen.Int[0, 4], Gen.Double[0, 1],
                (dfi, djs, pso, rec, dl) => new RegimeSignals(dfi, djs, pso, rec, dl))
            .Array[1, 3000];

    /// <summary>Small configs: short dwell and confirmation, so transitions happen often in generated paths.</summary>
    private static readonly Gen<RegimeControllerConfig> AnyConfig =
        Gen.Select(Gen.Long[0, 2000], Gen.Long[0, 5000], Gen.Long[0, 5000], Gen.Long[0, 5000], Gen.Long[0, 500],
            (watchConfirm, watchDwell, stormDwell, containDwell, stormConfirm) => RegimeControllerConfig.Default with
            {
                WatchConfirmNs = watchConfirm * Time.NanosPerMilli / 10,
                WatchDwellNs = watchDwell * Time.NanosPerMilli,
                StormDwellNs = stormDwell * Time.NanosPerMilli,
                ContainDwellNs = containDwell * Time.NanosPerMilli,
                StormConfirmNs = stormConfirm * Time.NanosPerMilli,
            });

    private static List<RegimeChange> Run(RegimeControllerConfig cfg, RegimeSignals[] path)
    {
        var c = new RegimeController(cfg);
        var changes = new List<RegimeChange>();
        for (var i = 0; i < path.Length; i++)
        {
            var from = c.Current;
            if (c.Update((i + 1) * Frame, path[i]))
            {
                changes.Add(new RegimeChange((i + 1) * Frame, from, c.Current, c.LastReason));
            }
        }
        return changes;
    }

    [Fact]
    public void Every_transition_moves_one_level_bar_leaving_containment_after_a_storm()
    {
        // Up: exactly one level. Down: one level, or out of SAFE_DMA_CONTAIN (to PRESSURE_WATCH or MAP_STABLE) once
        // the storm has subsided, never down to FLUSH_STORM but by an aged recurrence.
        Gen.Select(AnyConfig, AnyPath).Sample((cfg, path) =>
            Run(cfg, path).TrueForAll(ch => (int)ch.To - (int)ch.From == 1 || (int)ch.To - (int)ch.From == -1
                || (ch.From == Regime.SafeDmaContain && ch.To < Regime.FlushStorm && ch.Reason.Code is ReasonCode.StormSubsided or ReasonCode.SignalsCalm)), iter: 300);
    }

    [Fact]
    public void Containment_is_left_only_after_the_storm_has_subsided_for_the_storm_dwell()
    {
        Gen.Select(AnyConfig, AnyPath).Sample((cfg, path) =>
        {
            var c = new RegimeController(cfg);
            long subsidedSince = -1;
            for (var i = 0; i < path.Length; i++)
            {
                var now = (i + 1) * Frame;
                var from = c.Current;
                var changed = c.Update(now, path[i]);
                if (from == Regime.SafeDmaContain)
                {
                    subsidedSince = path[i].Dfi >= cfg.StormExit.Dfi ? -1 : subsidedSince < 0 ? now : subsidedSince;
                    if (changed && c.Current < Regime.FlushStorm && (subsidedSince < 0 || now - subsidedSince < cfg.StormDwellNs))
                    {
                        return false;
                    }
                }
                if (changed)
                {
                    subsidedSince = -1;
                }
            }
            return true;
        }, iter: 300);
    }

    [Fact]
    public void Every_step_down_comes_after_the_dwell_of_the_state_it_leaves()
    {
        Gen.Select(AnyConfig, AnyPath).Sample((cfg, path) =>
        {
            var entered = 0L;
            foreach (var ch in Run(cfg, path))
            {
                if (ch.To < ch.From && ch.TsNs - entered < cfg.DwellNs(ch.From))
                {
                    return false;
                }
                entered = ch.TsNs;
            }
            return true;
        }, iter: 300);
    }

    [Fact]
    public void Every_transition_carries_a_reason_that_matches_its_direction()
    {
        Gen.Select(AnyConfig, AnyPath).Sample((cfg, path) => Run(cfg, path).TrueForAll(ch =>
            ch.Reason.Code != ReasonCode.None
            && (ch.To > ch.From) == (ch.Reason.Code is ReasonCode.DfiRising or ReasonCode.DjsRising or ReasonCode.PsoRising
                or ReasonCode.StormDfiPso or ReasonCode.StormDfiDjs or ReasonCode.StormDfiSustained or ReasonCode.RepeatedStormDeadline)), iter: 300);
    }

    [Fact]
    public void Replaying_the_same_signals_gives_the_same_transitions()
    {
        Gen.Select(AnyConfig, AnyPath).Sample((cfg, path) => Run(cfg, path).SequenceEqual(Run(cfg, path)), iter: 200);
    }

    [Fact]
    public void Signals_hovering_around_any_threshold_inside_the_band_cause_no_flapping()
    {
        // Each signal hovers ±h around a threshold, with h smaller than half the hysteresis band of that edge: the
        // controller may climb (at most three steps) but never steps back down, however long the hover lasts.
        var cfg = RegimeControllerConfig.Default with { WatchDwellNs = 0, StormDwellNs = 0, ContainDwellNs = 0, StormConfirmNs = 0 };
        var centre = Gen.Int[0, 5].Select(i => new[] {
            new RegimeSignals(cfg.WatchEnter.Dfi, 0, 0, 0, 0), new RegimeSignals(cfg.WatchExit.Dfi, 0, 0, 0, 0),
            new RegimeSignals(cfg.StormEnter.Dfi, 0, cfg.StormEnter.Pso, 0, 0), new RegimeSignals(cfg.StormExit.Dfi, 0, cfg.StormExit.Pso, 0, 0),
            new RegimeSignals(cfg.StormEnter.Dfi, 0, cfg.StormEnter.Pso, 2, cfg.ContainEnter.DeadlinePressure),
            new RegimeSignals(cfg.StormEnter.Dfi, 0, cfg.StormEnter.Pso, 2, cfg.ContainExit.DeadlinePressure) }[i]);
        var noise = Gen.Double[-0.49, 0.49].Array[36_000]; // one hour of 100 ms frames
        Gen.Select(centre, noise).Sample((c0, u) =>
        {
            var path = new RegimeSignals[u.Length];
            for (var i = 0; i < u.Length; i++)
            {
                path[i] = new RegimeSignals(
                    c0.Dfi + u[i] * (cfg.WatchEnter.Dfi - cfg.WatchExit.Dfi) * 0.99,
                    c0.Djs,
                    c0.Pso + u[i] * (cfg.StormEnter.Pso - cfg.StormExit.Pso) * 0.99,
                    c0.StormRecurrence,
                    Math.Clamp(c0.DeadlinePressure + u[i] * (cfg.ContainEnter.DeadlinePressure - cfg.ContainExit.DeadlinePressure) * 0.99, 0, 1));
            }
            var changes = Run(cfg, path);
            return changes.Count <= 3 && changes.TrueForAll(ch => ch.To > ch.From);
        }, iter: 30);
    }

    [Fact]
    public void Transitions_per_hour_are_bounded_by_the_dwell_whatever_the_signals()
    {
        // Worst case: every step down out of state s needs dwell(s) in s, every step up needs a step down before it
        // (bar the first three). So transitions/hour <= 2 * sum_s (3600 s / dwell(s) + 1) + 3.
        var cfg = RegimeControllerConfig.Default with { StormConfirmNs = 0 };
        var hour = Gen.Select(Gen.Double[0, 100], Gen.Double[0, 6], Gen.Double[0, 4], Gen.Int[0, 4], Gen.Double[0, 1],
            (dfi, djs, pso, rec, dl) => new RegimeSignals(dfi, djs, pso, rec, dl)).Array[36_000];
        var bound = 2 * ((3600.0 / Time.ToSeconds(cfg.WatchDwellNs) + 1) + (3600.0 / Time.ToSeconds(cfg.StormDwellNs) + 1)
            + (3600.0 / Time.ToSeconds(cfg.ContainDwellNs) + 1)) + 3;
        Assert.Equal(2 * (721 + 361 + 121) + 3, bound);
        hour.Sample(path => Run(cfg, path).Count <= bound, iter: 10);
    }
}
