using System.Diagnostics;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Control.Reference;

internal sealed partial class ReferenceRegimeController
{
    private bool StepFromStable(RegimeControllerConfig cfg, long now, in RegimeSignals s)
    {
        return Escalate(WatchCondition(cfg.WatchEnter, s, out var reason), now, cfg.WatchConfirmNs)
            && Transition(cfg, now, Regime.PressureWatch, reason);
    }

    private bool StepFromWatch(RegimeControllerConfig cfg, long now, in RegimeSignals s)
    {
        // One clock for "DFI at storm level"; PSO or DJS corroboration shortens the confirmation it needs.
        if (Escalate(s.Dfi >= cfg.StormEnter.Dfi, now, 0))
        {
            var held = now - _pendingSinceNs;
            if (StormCondition(cfg.StormEnter, s, out var up) ? held >= cfg.StormConfirmNs : held >= cfg.StormDfiOnlyConfirmNs)
            {
                if (up.Code == ReasonCode.None)
                {
                    up = new TransitionReason(ReasonCode.StormDfiSustained, SignalKind.Dfi, s.Dfi, cfg.StormEnter.Dfi);
                }
                return Transition(cfg, now, Regime.FlushStorm, up);
            }
            return false;
        }
        if (!WatchCondition(cfg.WatchExit, s, out _) && DwellServed(cfg, now))
        {
            return Transition(cfg, now, Regime.MapStable, CalmReason(cfg.WatchExit, s));
        }
        return false;
    }

    private bool StepFromStorm(RegimeControllerConfig cfg, long now, in RegimeSignals s)
    {
        var recurrence = Math.Max(s.StormRecurrence, CountStorms(cfg, now));
        if (Escalate(StormHolds(cfg.StormExit, s) && ContainCondition(cfg.ContainEnter, recurrence, s.DeadlinePressure), now, cfg.ContainConfirmNs))
        {
            return Transition(cfg, now, Regime.SafeDmaContain, new TransitionReason(
                ReasonCode.RepeatedStormDeadline, SignalKind.StormRecurrence, recurrence, cfg.ContainEnter.StormRecurrence));
        }
        if (!StormHolds(cfg.StormExit, s) && DwellServed(cfg, now))
        {
            return Transition(cfg, now, Regime.PressureWatch, SubsidedReason(cfg.StormExit, s));
        }
        return false;
    }

    private bool StepFromContain(RegimeControllerConfig cfg, long now, in RegimeSignals s)
    {
        // Containment latches while the storm holds; only a storm that outlives its recurrence steps down to FLUSH_STORM.
        if (StormHolds(cfg.StormExit, s))
        {
            _subsidedSinceNs = NotPending;
            var recurrence = Math.Max(s.StormRecurrence, CountStorms(cfg, now));
            if (DwellServed(cfg, now) && recurrence < cfg.ContainExit.StormRecurrence)
            {
                return Transition(cfg, now, Regime.FlushStorm, new TransitionReason(
                    ReasonCode.RecurrenceAged, SignalKind.StormRecurrence, recurrence, cfg.ContainExit.StormRecurrence));
            }
            return false;
        }
        // Subsided: leave once that has lasted the storm's dwell (and the contain dwell is served).
        if (_subsidedSinceNs == NotPending)
        {
            _subsidedSinceNs = now;
        }
        if (!DwellServed(cfg, now) || now - _subsidedSinceNs < cfg.StormDwellNs)
        {
            return false;
        }
        return WatchCondition(cfg.WatchExit, s, out _)
            ? Transition(cfg, now, Regime.PressureWatch, SubsidedReason(cfg.StormExit, s))
            : Transition(cfg, now, Regime.MapStable, CalmReason(cfg.WatchExit, s));
    }

    /// <summary>Watch condition: any one signal at or above its threshold. The reason names the most exceeded one.</summary>
    private static bool WatchCondition(in SignalThresholds t, in RegimeSignals s, out TransitionReason reason)
    {
        reason = default;
        var best = 0.0;
        Consider(ReasonCode.DfiRising, SignalKind.Dfi, s.Dfi, t.Dfi, ref reason, ref best);
        Consider(ReasonCode.DjsRising, SignalKind.Djs, s.Djs, t.Djs, ref reason, ref best);
        Consider(ReasonCode.PsoRising, SignalKind.Pso, s.Pso, t.Pso, ref reason, ref best);
        return reason.Code != ReasonCode.None;

        static void Consider(ReasonCode code, SignalKind kind, double v, double threshold, ref TransitionReason r, ref double bestRatio)
        {
            // NaN never compares true: a signal the host cannot measure neither raises nor holds the state.
            if (v >= threshold)
            {
                var ratio = threshold > 0 ? v / threshold : double.MaxValue;
                if (r.Code == ReasonCode.None || ratio > bestRatio)
                {
                    r = new TransitionReason(code, kind, v, threshold);
                    bestRatio = ratio;
                }
            }
        }
    }

    /// <summary>Storm condition: sustained invalidation pressure (DFI) together with service oscillation (PSO) or jitter (DJS).</summary>
    private static bool StormCondition(in SignalThresholds t, in RegimeSignals s, out TransitionReason reason)
    {
        if (s.Dfi >= t.Dfi)
        {
            if (s.Pso >= t.Pso)
            {
                reason = new TransitionReason(ReasonCode.StormDfiPso, SignalKind.Dfi, s.Dfi, t.Dfi);
                return true;
            }
            if (s.Djs >= t.Djs)
            {
                reason = new TransitionReason(ReasonCode.StormDfiDjs, SignalKind.Dfi, s.Dfi, t.Dfi);
                return true;
            }
        }
        reason = default;
        return false;
    }

    /// <summary>A storm is held while DFI stays at the exit level: sustained invalidation pressure is the storm itself.</summary>
    private static bool StormHolds(in SignalThresholds t, in RegimeSignals s) => s.Dfi >= t.Dfi;

    private static bool ContainCondition(in ContainThresholds t, int recurrence, double deadlinePressure) =>
        recurrence >= t.StormRecurrence && deadlinePressure >= t.DeadlinePressure;

    /// <summary>Names the signal that was last to fall: the one with the highest value relative to its exit threshold.</summary>
    private static TransitionReason CalmReason(in SignalThresholds t, in RegimeSignals s)
    {
        var r = new TransitionReason(ReasonCode.SignalsCalm, SignalKind.Dfi, s.Dfi, t.Dfi);
        var best = Ratio(s.Dfi, t.Dfi);
        if (Ratio(s.Djs, t.Djs) > best)
        {
            r = new TransitionReason(ReasonCode.SignalsCalm, SignalKind.Djs, s.Djs, t.Djs);
            best = Ratio(s.Djs, t.Djs);
        }
        if (Ratio(s.Pso, t.Pso) > best)
        {
            r = new TransitionReason(ReasonCode.SignalsCalm, SignalKind.Pso, s.Pso, t.Pso);
        }
        return r;
    }

    private static TransitionReason SubsidedReason(in SignalThresholds t, in RegimeSignals s) =>
        new(ReasonCode.StormSubsided, SignalKind.Dfi, s.Dfi, t.Dfi);

    private static double Ratio(double v, double threshold) =>
        double.IsNaN(v) ? double.NegativeInfinity : threshold > 0 ? v / threshold : v;

    /// <summary>
    /// True once the escalation condition has held continuously for <paramref name="confirmNs"/>: the clock starts
    /// on the first update that sees it and a single update without it resets the clock.
    /// </summary>
    private bool Escalate(bool condition, long now, long confirmNs)
    {
        if (!condition)
        {
            _pendingSinceNs = NotPending;
            return false;
        }
        if (_pendingSinceNs == NotPending)
        {
            _pendingSinceNs = now;
        }
        return now - _pendingSinceNs >= confirmNs;
    }

    private bool DwellServed(RegimeControllerConfig cfg, long now) => now - _enteredAtNs >= cfg.DwellNs(_current);

    private bool Transition(RegimeControllerConfig cfg, long now, Regime to, TransitionReason reason)
    {
        var from = _current;
        Debug.Assert(Math.Abs((int)to - (int)from) == 1 || from == Regime.SafeDmaContain, "one level at a time, bar leaving containment");
        Debug.Assert(to > from || now - _enteredAtNs >= cfg.DwellNs(from), "stepped down before the dwell was served");
        if (from == Regime.PressureWatch && to == Regime.FlushStorm)
        {
            _stormEntries[_stormCount % StormRingSize] = now;
            _stormCount++;
        }
        _current = to;
        _enteredAtNs = now;
        _pendingSinceNs = NotPending;
        _subsidedSinceNs = NotPending;
        _policy = cfg.PolicyFor(to);
        _lastReason = reason;
        _transitions++;
        return true;
    }

    private int CountStorms(RegimeControllerConfig cfg, long now)
    {
        var n = 0;
        var held = Math.Min(_stormCount, StormRingSize);
        for (var i = 0; i < held; i++)
        {
            if (now - _stormEntries[i] < cfg.RecurrenceWindowNs)
            {
                n++;
            }
        }
        return n;
    }
}
