using CsCheck;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Tests.Control.Reference;

namespace DmaSlip.Core.Tests.Control;

/// <summary>
/// The tuned hot path (flat thresholds, sliding storm count, reasons built only on transition) decides exactly what
/// the straightforward first version decides: same return value, regime, policy, reason, entry time and counters
/// after every update, over arbitrary signal paths, configs, out-of-order and NaN frames, and mid-run reconfigures.
/// </summary>
public sealed class RegimeControllerEquivalenceTests
{
    private readonly record struct Step(long DtNs, RegimeSignals Signals, int Reconfigure);

    private static readonly Gen<RegimeSignals> AnySignals =
        Gen.Select(
            Gen.Frequency((20, Gen.Double[0, 100]), (1, Gen.Const(double.NaN))),
            Gen.Frequency((20, Gen.Double[0, 6]), (1, Gen.Const(double.NaN))),
            Gen.Frequency((20, Gen.Double[0, 4]), (1, Gen.Const(double.NaN))),
            // Mostly no recurrence from the signal, so the controller's own storm count decides SAFE_DMA_CONTAIN.
            Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[0, 4])),
            Gen.Frequency((20, Gen.Double[0, 1]), (1, Gen.Const(double.NaN))),
            (dfi, djs, pso, rec, dl) => new RegimeSignals(dfi, djs, pso, rec, dl));

    // Mostly forward steps of 0-0.5 s on a 100 ms grid (so timestamps land exactly on dwell, confirmation and window
    // boundaries), sometimes a repeat timestamp or a step back; now and then a reconfigure.
    private static readonly Gen<Step> AnyStep =
        Gen.Select(Gen.Frequency((30, Gen.Long[0, 5].Select(k => k * 100 * Time.NanosPerMilli)), (1, Gen.Long[-Time.NanosPerSecond, 0])),
            AnySignals, Gen.Frequency((60, Gen.Const(-1)), (1, Gen.Int[0, 3])),
            (dt, s, r) => new Step(dt, s, r));

    private static readonly Gen<RegimeControllerConfig> AnyConfig =
        Gen.Select(Gen.Long[0, 2000], Gen.Long[0, 5000], Gen.Long[0, 5000], Gen.Long[0, 5000], Gen.Long[0, 500],
            Gen.Long[1, 30], Gen.Int[1, 4], Gen.Long[0, 500],
            (watchConfirm, watchDwell, stormDwell, containDwell, stormConfirm, windowS, recurrence, containConfirm) =>
                RegimeControllerConfig.Default with
                {
                    WatchConfirmNs = watchConfirm * Time.NanosPerMilli / 10,
                    WatchDwellNs = watchDwell * Time.NanosPerMilli,
                    StormDwellNs = stormDwell * Time.NanosPerMilli,
                    ContainDwellNs = containDwell * Time.NanosPerMilli,
                    StormConfirmNs = stormConfirm * Time.NanosPerMilli,
                    ContainConfirmNs = containConfirm * Time.NanosPerMilli,
                    RecurrenceWindowNs = windowS * Time.NanosPerSecond,
                    ContainEnter = new ContainThresholds(recurrence, 0.5),
                    ContainExit = new ContainThresholds(Math.Max(1, recurrence - 1), 0.3),
                    PressureWatchPolicy = RegimeControllerConfig.Default.PressureWatchPolicy with { MaxChildBurst = (int)(windowS % 7) + 2 },
                });

    [Fact]
    public void The_tuned_update_decides_exactly_what_the_reference_controller_decides()
    {
        Gen.Select(AnyConfig.Array[4], AnyStep.Array[1, 4000]).Sample((configs, steps) =>
        {
            var tuned = new RegimeController(configs[0]);
            var reference = new ReferenceRegimeController(configs[0]);
            var t = 0L;
            foreach (var step in steps)
            {
                if (step.Reconfigure >= 0)
                {
                    tuned.Reconfigure(configs[step.Reconfigure]);
                    reference.Reconfigure(configs[step.Reconfigure]);
                }
                t += step.DtNs;
                var a = tuned.Update(t, step.Signals);
                var b = reference.Update(t, step.Signals);
                if (a != b || tuned.Current != reference.Current || tuned.Policy != reference.Policy
                    || tuned.LastReason != reference.LastReason || tuned.EnteredAtNs != reference.EnteredAtNs
                    || tuned.Transitions != reference.Transitions || tuned.OutOfOrderUpdates != reference.OutOfOrderUpdates
                    || tuned.OwnStormRecurrence(t) != reference.OwnStormRecurrence(t)
                    || tuned.SlidingStormCount() != reference.OwnStormRecurrence(tuned.LastUpdateNs))
                {
                    return false;
                }
            }
            return true;
        }, iter: 400);
    }

    [Fact]
    public void A_longer_window_after_a_reconfigure_brings_aged_storms_back_into_the_count()
    {
        var cfg = RegimeControllerConfig.Default with { WatchConfirmNs = 0, StormConfirmNs = 0, StormDwellNs = 0, WatchDwellNs = 0, RecurrenceWindowNs = Time.NanosPerSecond };
        var c = new RegimeController(cfg);
        var storm = new RegimeSignals(90, 5, 3, 0, 0);
        var calm = new RegimeSignals(10, 1, 1, 0, 0);
        var t = 0L;
        foreach (var s in new[] { storm, storm, calm, storm, storm })
        {
            c.Update(t += Time.NanosPerMilli, s); // two storm entries a few ms apart
        }
        Assert.Equal(2, c.SlidingStormCount());
        c.Update(t += 2 * Time.NanosPerSecond, storm);
        Assert.Equal(0, c.SlidingStormCount());
        c.Reconfigure(cfg with { RecurrenceWindowNs = Time.NanosPerHour });
        c.Update(t += 1, storm);
        Assert.Equal(2, c.SlidingStormCount());
        Assert.Equal(2, c.OwnStormRecurrence(t));
    }

    [Fact]
    public void The_comparison_notices_a_controller_that_decides_differently()
    {
        // Guard against a vacuous oracle: a different dwell must show up as a different decision on some path.
        var cfg = RegimeControllerConfig.Default with { WatchConfirmNs = 0 };
        var tuned = new RegimeController(cfg with { WatchDwellNs = 0 });
        var reference = new ReferenceRegimeController(cfg);
        var watch = new RegimeSignals(55, 1, 1, 0, 0);
        var calm = new RegimeSignals(10, 1, 1, 0, 0);
        tuned.Update(1, watch);
        reference.Update(1, watch);
        Assert.NotEqual(tuned.Update(2, calm), reference.Update(2, calm));
    }
}
