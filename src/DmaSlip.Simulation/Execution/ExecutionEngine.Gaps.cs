namespace DmaSlip.Simulation.Execution;

/// <summary>
/// Stale-book protection (<see cref="ExecutionSpec.CancelOnGap"/>). A market-data packet the home host dropped
/// reaches the strategy only after gap recovery; the strategy notices the gap when the next packet arrives (about one
/// tape interval after the lost one would have), cancels its resting child and sends nothing new — no posting, no
/// replacing, no catch-up crossing — until its view has recovered, then re-posts a slice at the back of the queue.
/// The deadline is not held back. A calm host drops nothing, so the twin never pulls its orders.
/// </summary>
internal sealed partial class ExecutionEngine
{
    private bool _gapKnown;

    /// <summary>True when the strategy knows its view is stale at <paramref name="t"/>.</summary>
    private bool InGap(long t) => _gapKnown && t < _gapUntil;

    /// <summary>Venue event <paramref name="i"/> of our symbol: if the home host drops it, a gap opens in the strategy's feed.</summary>
    private void NoteMarketEvent(int i)
    {
        if (!_spec.CancelOnGap || _done)
        {
            return;
        }
        var ts = _tape.TsAt(i);
        if (!_home.DropsBetween(ts, ts + _ctx.Venue.MaxNs))
        {
            return; // nothing drops where this packet can arrive: no latency, no hash to draw (the common case)
        }
        var received = ReceiveMarket(i, out var normal); // the one drop draw, shared with the strategy's view
        if (received == normal)
        {
            return;
        }
        // Noticed when the next packet comes in; recovered when the lost one is replayed.
        var next = i + 1 < _tape.Count ? _tape.TsAt(i + 1) - ts : 0;
        var detect = normal + Math.Min(next, received - normal);
        if (!_gapKnown && _gapAt == Never)
        {
            _gapAt = detect;
        }
        _gapUntil = Math.Max(_gapUntil, received);
        if (_rearmAt != Never)
        {
            _rearmAt = _gapUntil;
        }
    }

    private void GapDetected(long t)
    {
        _gapKnown = true;
        if (_cs != ChildState.None && _cLeaves > 0 && _cxlArrive == Never)
        {
            CancelChild(t);
        }
        _reactAt = Never;
        _rearmAt = _gapUntil;
    }

    private void Rearm(long t)
    {
        if (t < _gapUntil)
        {
            _rearmAt = _gapUntil; // the gap grew while we waited
            return;
        }
        _gapKnown = false;
        AdvanceView(t);
        if (_cs == ChildState.None && _cxlArrive == Never)
        {
            PostSlice(t);
        }
    }

    /// <summary>Sends a cancel for the resting child (or its replace in flight) through the child's host.</summary>
    private void CancelChild(long t)
    {
        var (wire, arrive) = Send(t, _cHost);
        _cxlClOrd = ++_clOrdSeq;
        _cxlArrive = arrive;
        var orig = _cs == ChildState.PendingReplace ? _cPendingClOrd : _cClOrd;
        Outbound(t, wire, _cHost, 'F', _cChild, _cxlClOrd, orig, _cPrice, _cQty, ioc: false);
    }
}
