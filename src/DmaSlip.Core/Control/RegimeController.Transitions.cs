using System.Diagnostics;
using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

public sealed partial class RegimeController
{
    // The common update changes nothing: each step tests its conditions with plain compares on the flat thresholds
    // (non-short-circuit '|' where every operand is cheap, so the calm path has no data-dependent branches), and
    // only a transition builds its reason from the snapshot.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepFromStable(long now, in RegimeSignals s)
    {
        ref readonly var t = ref _t;
        // NaN never compares true: a signal the host cannot measure neither raises nor holds the state.
        var watch = (s.Dfi >= t.WatchEnterDfi) | (s.Djs >= t.WatchEnterDjs) | (s.Pso >= t.WatchEnterPso);
        return Escalate(watch, now, t.WatchConfirmNs) && ToWatchFromStable(now, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepFromWatch(long now, in RegimeSignals s)
    {
        ref readonly var t = ref _t;
        // One clock for "DFI at storm level"; PSO or DJS corroboration shortens the confirmation it needs.
        if (s.Dfi >= t.StormEnterDfi)
        {
            if (_pendingSinceNs == NotPending)
            {
                _pendingSinceNs = now;
            }
            var corroborated = (s.Pso >= t.StormEnterPso) | (s.Djs >= t.StormEnterDjs);
            return now - _pendingSinceNs >= (corroborated ? t.StormConfirmNs : t.StormDfiOnlyConfirmNs)
                && ToStorm(now, s);
        }
        _pendingSinceNs = NotPending;
        var held = (s.Dfi >= t.WatchExitDfi) | (s.Djs >= t.WatchExitDjs) | (s.Pso >= t.WatchExitPso);
        return !held && DwellServed(now) && ToStable(now, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepFromStorm(long now, in RegimeSignals s)
    {
        ref readonly var t = ref _t;
        // Recurrence is max(signal, own count): the own count is only needed when the signal alone falls short.
        // Containment is for a storm in progress: a subsided storm is left downward, never contained.
        var contain = s.Dfi >= t.StormExitDfi && s.DeadlinePressure >= t.ContainEnterDeadline
            && (s.StormRecurrence >= t.ContainEnterRecurrence || LiveStorms(now) >= t.ContainEnterRecurrence);
        if (Escalate(contain, now, t.ContainConfirmNs))
        {
            return ToContain(now, s);
        }
        return !(s.Dfi >= t.StormExitDfi) && DwellServed(now) && ToWatchSubsided(now, s);
    }

    /// <summary>
    /// SAFE_DMA_CONTAIN holds while the storm does (DFI ≥ storm.exit): deadline pressure easing does not release it,
    /// because the containment policy itself moves the book's deadline pressure and the storm then re-contains (issue
    /// 19: FLUSH_STORM ↔ SAFE_DMA_CONTAIN on every 30 s dwell). It is left once the storm has subsided for the storm's
    /// own dwell (and the contain dwell is served): straight to MAP_STABLE when every signal is below its watch exit,
    /// else to PRESSURE_WATCH. A storm that outlives its recurrence (recurrence aged) steps down to FLUSH_STORM.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StepFromContain(long now, in RegimeSignals s)
    {
        ref readonly var t = ref _t;
        if (s.Dfi >= t.StormExitDfi)
        {
            _subsidedSinceNs = NotPending;
            return DwellServed(now) && s.StormRecurrence < t.ContainExitRecurrence && LiveStorms(now) < t.ContainExitRecurrence
                && ToStormRecurrenceAged(now, s);
        }
        if (_subsidedSinceNs == NotPending)
        {
            _subsidedSinceNs = now;
        }
        if (!DwellServed(now) || now - _subsidedSinceNs < t.StormDwellNs)
        {
            return false;
        }
        var watch = (s.Dfi >= t.WatchExitDfi) | (s.Djs >= t.WatchExitDjs) | (s.Pso >= t.WatchExitPso);
        return watch ? ToWatchSubsided(now, s) : ToStable(now, s);
    }

    /// <summary>
    /// True once the escalation condition has held continuously for <paramref name="confirmNs"/>: the clock starts
    /// on the first update that sees it and a single update without it resets the clock.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool DwellServed(long now) => now - _enteredAtNs >= _dwellNs;

    /// <summary>
    /// FLUSH_STORM entries within the recurrence window ending at <paramref name="now"/>. Entries sit in the ring in
    /// time order and updates never go back in time, so an entry that has aged out stays out: the oldest live index
    /// only moves forward (amortised O(1) instead of scanning the ring on every storm-state update).
    /// </summary>
    private int LiveStorms(long now)
    {
        var first = Math.Max(_firstLiveStorm, _stormCount - StormRingSize);
        var window = _t.RecurrenceWindowNs;
        while (first < _stormCount && now - _stormEntries[first & (StormRingSize - 1)] >= window)
        {
            first++;
        }
        _firstLiveStorm = first;
        return _stormCount - first;
    }

    // Transitions, each with its reason. Off the common path: not inlined into the update.

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ToWatchFromStable(long now, in RegimeSignals s)
    {
        var reason = WatchReason(_applied.WatchEnter, s);
        return Transition(now, Regime.PressureWatch, reason);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ToStorm(long now, in RegimeSignals s)
    {
        var t = _applied.StormEnter;
        var code = s.Pso >= t.Pso ? ReasonCode.StormDfiPso : s.Djs >= t.Djs ? ReasonCode.StormDfiDjs : ReasonCode.StormDfiSustained;
        return Transition(now, Regime.FlushStorm, new TransitionReason(code, SignalKind.Dfi, s.Dfi, t.Dfi));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ToStable(long now, in RegimeSignals s) => Transition(now, Regime.MapStable, CalmReason(_applied.WatchExit, s));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ToContain(long now, in RegimeSignals s)
    {
        var recurrence = Math.Max(s.StormRecurrence, LiveStorms(now));
        return Transition(now, Regime.SafeDmaContain, new TransitionReason(
            ReasonCode.RepeatedStormDeadline, SignalKind.StormRecurrence, recurrence, _applied.ContainEnter.StormRecurrence));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ToWatchSubsided(long now, in RegimeSignals s) =>
        Transition(now, Regime.PressureWatch, SubsidedReason(_applied.StormExit, s));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool ToStormRecurrenceAged(long now, in RegimeSignals s)
    {
        var recurrence = Math.Max(s.StormRecurrence, LiveStorms(now));
        return Transition(now, Regime.FlushStorm, new TransitionReason(
            ReasonCode.RecurrenceAged, SignalKind.StormRecurrence, recurrence, _applied.ContainExit.StormRecurrence));
    }

    /// <summary>Watch reason: the signal most above its enter threshold (ratio), first of DFI, DJS, PSO on a tie.</summary>
    private static TransitionReason WatchReason(in SignalThresholds t, in RegimeSignals s)
    {
        var reason = default(TransitionReason);
        var best = 0.0;
        Consider(ReasonCode.DfiRising, SignalKind.Dfi, s.Dfi, t.Dfi, ref reason, ref best);
        Consider(ReasonCode.DjsRising, SignalKind.Djs, s.Djs, t.Djs, ref reason, ref best);
        Consider(ReasonCode.PsoRising, SignalKind.Pso, s.Pso, t.Pso, ref reason, ref best);
        return reason;

        static void Consider(ReasonCode code, SignalKind kind, double v, double threshold, ref TransitionReason r, ref double bestRatio)
        {
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

    private bool Transition(long now, Regime to, TransitionReason reason)
    {
        var from = _current;
        Debug.Assert(to == from + 1 || to == from - 1 || (from == Regime.SafeDmaContain && to < from),
            "transitions move one level at a time, bar leaving SAFE_DMA_CONTAIN once the storm has subsided");
        Debug.Assert(to > from || now - _enteredAtNs >= _dwellNs, "stepped down before the dwell was served");
        if (from == Regime.PressureWatch && to == Regime.FlushStorm)
        {
            _stormEntries[_stormCount & (StormRingSize - 1)] = now;
            _stormCount++;
        }
        _current = to;
        _enteredAtNs = now;
        _pendingSinceNs = NotPending;
        _subsidedSinceNs = NotPending;
        _policy = _applied.PolicyFor(to);
        _dwellNs = _applied.DwellNs(to);
        _lastReason = reason;
        _transitions++;
        return true;
    }
}
