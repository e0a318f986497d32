using DmaSlip.Simulation.Market;

namespace DmaSlip.Simulation.Execution;

internal sealed partial class ExecutionEngine
{
    /// <summary>A market event happens at the venue: trades at our price consume the queue ahead of us first.</summary>
    private void ApplyTape(int i)
    {
        _venueIdx = i;
        var t = _tape.TsAt(i);
        NoteMarketEvent(i);
        if (_cLeaves > 0 && _cs is ChildState.Live or ChildState.PendingReplace)
        {
            var kind = _tape.Kind(i);
            var hitsUs = _side > 0 ? kind == MarketTape.SellTrade : kind == MarketTape.BuyTrade;
            if (hitsUs)
            {
                var tradeTick = _tape.TradeTick(i) + Shift;
                var size = _tape.TradeSize(i);
                if (Above(_cPrice, tradeTick))
                {
                    // The trade went through our price: a resting order at a better price is hit first.
                    PassiveFill(t, Math.Min(size, _cLeaves));
                }
                else if (tradeTick == _cPrice)
                {
                    _queueAhead -= size;
                    _levelSize -= size;
                    if (_queueAhead < 0)
                    {
                        var q = Math.Min((long)-_queueAhead, _cLeaves);
                        _queueAhead = 0;
                        if (q > 0)
                        {
                            PassiveFill(t, q);
                        }
                    }
                }
            }
            if (_cLeaves > 0)
            {
                var touch = Touch(i);
                if (Above(_cPrice, touch))
                {
                    _queueAhead = 0; // our level is the market's best now: nobody ahead of us
                    _levelSize = 0;
                }
                else if (touch == _cPrice)
                {
                    var now = TouchSize(i);
                    if (_levelSize > now && _levelSize > 0)
                    {
                        // Cancellations come from anywhere in the queue (the standard proportional assumption), not
                        // only from ahead of us: the queue ahead shrinks by its share of the level.
                        _queueAhead -= (_levelSize - now) * _queueAhead / _levelSize;
                    }
                    _queueAhead = Math.Min(_queueAhead, now);
                    _levelSize = now;
                }
                if (!Above(Far(i), _cPrice))
                {
                    PassiveFill(t, Math.Min(_cLeaves, FarSize(i))); // the other side came to our price
                }
            }
        }
        // The strategy re-prices when it sees the touch move away from its resting price.
        if (_cs == ChildState.Live && _cLeaves > 0 && !_done && Above(Touch(i), _cPrice) && _reactAt == Never)
        {
            _reactAt = ReceiveMarket(i);
        }
    }

    private void VenueChildArrives(long t)
    {
        var replace = _cs == ChildState.PendingReplace;
        if (replace)
        {
            if (_cLeaves <= 0)
            {
                // Too late to replace: the order filled while the request was on the wire.
                Report(t, _cHost, '8', '2', _cPendingClOrd, _cClOrd, _cNewPrice, _cQty, 0, 0, _cCum, 0, 0, false);
                _cs = ChildState.None;
                return;
            }
            var orig = _cClOrd;
            _cClOrd = _cPendingClOrd;
            _cPrice = _cNewPrice;
            Report(t, _cHost, '5', _cCum > 0 ? '1' : '0', _cClOrd, orig, _cPrice, _cQty, 0, 0, _cCum, _cLeaves, 0, false);
        }
        else
        {
            Report(t, _cHost, '0', '0', _cClOrd, 0, _cPrice, _cQty, 0, 0, 0, _cLeaves, 0, false);
        }
        _cs = ChildState.Live;
        _cAckSeen = ReceiveReport(t, _cHost);
        var idx = _venueIdx;
        var far = Far(idx);
        if (!Above(far, _cPrice))
        {
            // Marketable on arrival (the market moved while we were on the wire): takes the free liquidity on the far
            // side up to its own price; what is left rests as the best price at its level.
            var (price, level) = FreeDepthStart(t, idx);
            var deeper = AverageDepth(idx);
            var taken = 0L;
            while (_cLeaves > 0 && !Above(price, _cPrice))
            {
                var q = Math.Min(_cLeaves, level);
                if (q > 0)
                {
                    Fill(t, _cHost, _cClOrd, _cChild, q, price, aggressive: true, ioc: false);
                    _cLeaves -= q;
                    _cCum += q;
                    taken += q;
                }
                price += _side;
                level = deeper;
            }
            Took(t, idx, taken);
            _queueAhead = 0;
        }
        else
        {
            var touch = Touch(idx);
            _queueAhead = Above(_cPrice, touch) ? 0 : TouchSize(idx); // back of the queue (a replace loses priority)
            _levelSize = touch == _cPrice ? TouchSize(idx) : 0;
        }
        if (_cLeaves == 0)
        {
            _cs = ChildState.None;
        }
    }

    private void VenueCancelArrives(long t)
    {
        if (_cs == ChildState.PendingReplace)
        {
            // The replace is still on the wire behind the cancel: the venue applies the cancel to the live order.
            _cArrive = Never;
        }
        if (_cLeaves > 0)
        {
            Report(t, _cHost, '4', '4', _cxlClOrd, _cClOrd, _cPrice, _cQty, 0, 0, _cCum, 0, 0, false);
        }
        _cLeaves = 0;
        _cs = ChildState.None;
        if (_p.HighUrgency && _done && PolicyAt(t).Completion == Core.Domain.CompletionMode.Normal)
        {
            _sweepAt = ReceiveReport(t, _cHost); // final sweep once the strategy knows what is left
        }
    }

    private void VenueIocArrives(int k, long t)
    {
        var qty = _iocQty[k];
        var limit = _iocLimit[k];
        var clOrd = _iocClOrd[k];
        var host = _iocHost[k];
        var child = _iocChild[k];
        Report(t, host, '0', '0', clOrd, 0, limit, qty, 0, 0, 0, qty, 0, true);
        var idx = _venueIdx;
        var (price, levelSize) = FreeDepthStart(t, idx);
        var deeper = AverageDepth(idx);
        var cum = 0L;
        // Walk the book behind what we already took: the far touch, then levels one tick apart holding the average
        // touch size each.
        while (qty > 0 && !Above(price, limit))
        {
            var q = Math.Min(qty, levelSize);
            if (q > 0)
            {
                cum += q;
                qty -= q;
                Fill(t, host, clOrd, child, q, price, aggressive: true, ioc: true, cum, qty);
            }
            price += _side;
            levelSize = deeper;
        }
        Took(t, idx, cum);
        if (qty > 0)
        {
            Report(t, host, '4', '4', clOrd, 0, limit, _iocQty[k], 0, 0, cum, 0, 0, true);
        }
        _iocInflight -= _iocQty[k];
        _iocCount--;
        _iocArrive[k] = _iocArrive[_iocCount];
        _iocQty[k] = _iocQty[_iocCount];
        _iocLimit[k] = _iocLimit[_iocCount];
        _iocClOrd[k] = _iocClOrd[_iocCount];
        _iocHost[k] = _iocHost[_iocCount];
        _iocChild[k] = _iocChild[_iocCount];
    }

    private void PassiveFill(long t, long q)
    {
        if (q <= 0)
        {
            return;
        }
        _cLeaves -= q;
        _cCum += q;
        Fill(t, _cHost, _cClOrd, _cChild, q, _cPrice, aggressive: false, ioc: false);
        if (_cLeaves == 0 && _cs == ChildState.Live)
        {
            _cs = ChildState.None;
        }
    }

    private void Fill(long t, int host, int clOrd, int child, long q, int priceTick, bool aggressive, bool ioc, long iocCum = 0, long iocLeaves = 0)
    {
        _filled += q;
        _notionalTicks += (double)q * priceTick;
        if (aggressive)
        {
            _aggressiveQty += q;
        }
        else
        {
            _passiveQty += q;
        }
        if (_fix is null)
        {
            return;
        }
        var cum = ioc ? iocCum : _cCum + (aggressive ? q : 0);
        var leaves = ioc ? iocLeaves : _cLeaves - (aggressive ? q : 0);
        if (!ioc && !aggressive)
        {
            cum = _cCum;
            leaves = _cLeaves;
        }
        var qty = ioc ? iocCum + iocLeaves : _cQty;
        Report(t, host, 'F', leaves == 0 ? '2' : '1', clOrd, 0, priceTick, qty, q, priceTick, cum, leaves, aggressive ? (byte)2 : (byte)1, ioc, child);
    }

    /// <summary>Records an execution report sent by the venue at <paramref name="t"/> (received later by the host).</summary>
    private void Report(long t, int host, char execType, char ordStatus, int clOrd, int origClOrd, int priceTick, long orderQty,
        long lastQty, int lastPx, long cum, long leaves, byte liquidity, bool ioc, int child = -1)
    {
        if (_fix is null)
        {
            return;
        }
        _fix.Add(new FixEvent
        {
            LogNs = ReceiveReport(t, host),
            TransactNs = t,
            Host = host,
            Parent = _p.Index,
            MsgType = '8',
            ExecType = execType,
            OrdStatus = ordStatus,
            Child = child < 0 ? _cChild : child,
            ClOrd = clOrd,
            OrigClOrd = origClOrd,
            PriceTick = priceTick,
            OrderQty = orderQty,
            LastQty = lastQty,
            LastPxTick = lastPx,
            CumQty = cum,
            LeavesQty = leaves,
            Liquidity = liquidity,
            Ioc = ioc,
            ExecSeq = ++_execSeq,
            Seq = ++_evSeq,
        });
    }

    private void Outbound(long decision, long wire, int host, char msgType, int child, int clOrd, int origClOrd, int priceTick, long qty, bool ioc)
    {
        _fix?.Add(new FixEvent
        {
            LogNs = wire,
            TransactNs = decision,
            Host = host,
            Parent = _p.Index,
            MsgType = msgType,
            Child = child,
            ClOrd = clOrd,
            OrigClOrd = origClOrd,
            PriceTick = priceTick,
            OrderQty = qty,
            Ioc = ioc,
            Seq = ++_evSeq,
        });
    }
}
