using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Execution;

internal sealed partial class ExecutionEngine
{
    /// <summary>Schedule target (shares) at strategy time <paramref name="t"/>: TWAP by elapsed time, POV by seen volume.</summary>
    private long Target(long t)
    {
        if (_p.Pov)
        {
            return Math.Min(_p.Qty, (long)(_spec.PovRate * _viewVolume));
        }
        var f = Math.Clamp((double)(t - _p.ArrivalNs) / Math.Max(1, _p.DeadlineNs - _p.ArrivalNs), 0, 1);
        return (long)(_p.Qty * f);
    }

    private void Decide(long t)
    {
        AdvanceView(t);
        var policy = PolicyAt(t);
        var pacing = Math.Max(1.0, policy.PacingFactor);
        _nextDecision = t + (long)(_sliceNs * pacing);
        if (_nextDecision >= _p.DeadlineNs)
        {
            _nextDecision = Never;
        }
        var lot = _tape.LotSize;
        var remaining = _p.Qty - _filled - _iocInflight;
        if (remaining <= 0 || InGap(t))
        {
            return;
        }
        // Passive: keep one child resting at our touch for the next slice's worth.
        if (_cs == ChildState.None && _cxlArrive == Never)
        {
            PostSlice(t);
        }
        // Urgency: cross when behind schedule by more than the threshold.
        var behind = Target(t) - _filled - _iocInflight;
        if (behind < Math.Max(lot, _spec.CatchUpThreshold * _p.Qty))
        {
            return;
        }
        var room = _p.Qty - _filled - _iocInflight - _cLeaves;
        var cross = Math.Min(RoundLot(behind), room);
        if (policy.CatchUpMode == CatchUpMode.Bounded)
        {
            cross = Math.Min(cross, _sliceQty);
        }
        if (cross < lot)
        {
            return;
        }
        var panic = policy.CatchUpMode == CatchUpMode.Panic;
        var maxChildren = Math.Clamp(policy.MaxChildBurst, 1, panic ? 16 : 2);
        var per = Math.Max(lot, RoundLot((cross + maxChildren - 1) / maxChildren));
        var spacing = Math.Max(0, policy.MinSpacingNs);
        var host = Route(t, urgent: true);
        for (var k = 0; k < maxChildren && cross > 0 && _iocCount < MaxIoc; k++)
        {
            var q = Math.Min(per, cross);
            SendIoc(t + k * spacing, q, panic ? 5 : 1, host);
            cross -= q;
        }
    }

    /// <summary>Posts a passive child for the next slice's worth (what the schedule wants by then, at least a lot).</summary>
    private void PostSlice(long t)
    {
        var remaining = _p.Qty - _filled - _iocInflight;
        if (remaining <= 0)
        {
            return;
        }
        var want = Target(t + _sliceNs) - _filled - _iocInflight;
        PostPassive(t, Math.Min(remaining, Math.Max(_tape.LotSize, RoundLot(want))));
    }

    private long RoundLot(long qty) => qty <= 0 ? 0 : qty / _tape.LotSize * _tape.LotSize;

    private void PostPassive(long t, long qty)
    {
        if (qty <= 0)
        {
            return;
        }
        var host = Route(t, urgent: false);
        var (wire, arrive) = Send(t, host);
        _children++;
        _cChild = _children;
        _cClOrd = ++_clOrdSeq;
        _cHost = host;
        _cPrice = Touch(_view);
        _cQty = qty;
        _cLeaves = qty;
        _cCum = 0;
        _cArrive = arrive;
        _cAckSeen = Never;
        _cs = ChildState.PendingNew;
        _postedQty += qty;
        Outbound(t, wire, host, 'D', _cChild, _cClOrd, 0, _cPrice, qty, ioc: false);
    }

    private void SendIoc(long t, long qty, int ticksThrough, int host)
    {
        var (wire, arrive) = Send(t, host);
        var k = _iocCount++;
        _children++;
        _iocArrive[k] = arrive;
        _iocQty[k] = qty;
        _iocLimit[k] = Far(_view) + _side * ticksThrough;
        _iocClOrd[k] = ++_clOrdSeq;
        _iocHost[k] = host;
        _iocChild[k] = _children;
        _iocInflight += qty;
        Outbound(t, wire, host, 'D', _children, _iocClOrd[k], 0, _iocLimit[k], qty, ioc: true);
    }

    /// <summary>The strategy has seen the touch move away from its resting child: cancel/replace to the new touch, within the caps.</summary>
    private void React(long t)
    {
        if (_cs != ChildState.Live || _cLeaves <= 0 || InGap(t) || _cxlArrive != Never)
        {
            return;
        }
        if (t < _cAckSeen)
        {
            _reactAt = _cAckSeen; // cannot replace an order the strategy has not seen acknowledged
            return;
        }
        AdvanceView(t);
        var touch = Touch(_view);
        if (!Above(touch, _cPrice))
        {
            return;
        }
        var policy = PolicyAt(t);
        var cap = Math.Min(_spec.MaxReplacesPerSecond, policy.ReplaceRateCapPerSecond);
        var minInterval = Math.Max((long)(Time.NanosPerSecond / Math.Max(cap, 1e-9)), policy.MinSpacingNs);
        if (t - _lastReplaceNs < minInterval)
        {
            _reactAt = _lastReplaceNs + minInterval;
            return;
        }
        _lastReplaceNs = t;
        var (wire, arrive) = Send(t, _cHost);
        _replaces++;
        _cPendingClOrd = ++_clOrdSeq;
        _cNewPrice = touch;
        _cArrive = arrive;
        _cs = ChildState.PendingReplace;
        Outbound(t, wire, _cHost, 'G', _cChild, _cPendingClOrd, _cClOrd, touch, _cQty, ioc: false);
    }

    /// <summary>At the deadline: cancel the resting child; high-urgency parents sweep what is left, others accept the miss.</summary>
    private void Deadline(long t)
    {
        _done = true;
        _nextDecision = Never;
        _reactAt = Never;
        AdvanceView(t);
        var normal = PolicyAt(t).Completion == CompletionMode.Normal;
        if (_cs != ChildState.None && _cLeaves > 0)
        {
            if (_cxlArrive == Never)
            {
                CancelChild(t);
            }
            return; // the sweep (if any) follows the cancel's ack
        }
        if (_p.HighUrgency && normal)
        {
            var qty = _p.Qty - _filled - _iocInflight;
            if (qty > 0)
            {
                SendIoc(t, qty, 10, Route(t, urgent: true));
            }
        }
    }
}
