using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Market;

namespace DmaSlip.Simulation.Execution;

/// <summary>
/// Runs one parent order at a time against the market tape, in venue time, with the strategy acting on its own
/// delayed view (market data reaches it through the home host's ingest path; its messages reach the venue through
/// the sending host's send path). One passive child works at a time (posted at our touch, re-priced by
/// cancel/replace when the touch moves away — a replace goes to the back of the queue), plus IOC children when
/// the schedule falls behind (panic: the whole deficit at once; bounded: a slice per decision). Fills consume the
/// queue ahead first. Deterministic given its inputs: the twin differs only through the host timelines.
/// </summary>
internal sealed partial class ExecutionEngine
{
    private const long Never = long.MaxValue;
    private const int MaxIoc = 64;

    private readonly RunContext _ctx;
    private readonly ExecutionSpec _spec;
    private readonly List<FixEvent>? _fix;
    private readonly ExecutionPolicy? _fixedPolicy;

    private ParentSpec _p = null!;
    private MarketTape _tape = null!;
    private HostTimeline _home = null!;
    private int _side;
    private int _venueIdx;
    private int _view;
    private long _viewVolume;
    private long _sliceNs;
    private long _sliceQty;

    private long _filled;
    private double _notionalTicks;
    private long _passiveQty, _aggressiveQty, _postedQty;
    private long _firstWire;
    private double _sendDelaySum;
    private int _sends;
    private int _children, _replaces;
    private int _clOrdSeq;
    private int _execSeq;
    private int _evSeq;
    private long _lastArrival;

    // The passive child.
    private ChildState _cs;
    private int _cChild, _cClOrd, _cPendingClOrd, _cHost;
    private int _cPrice, _cNewPrice;
    private long _cQty, _cLeaves, _cCum;
    private double _queueAhead;
    private double _levelSize;
    private long _cArrive, _cxlArrive, _cAckSeen;
    private int _cxlClOrd;
    private long _lastReplaceNs;

    // IOC children in flight.
    private readonly long[] _iocArrive = new long[MaxIoc];
    private readonly long[] _iocQty = new long[MaxIoc];
    private readonly int[] _iocLimit = new int[MaxIoc];
    private readonly int[] _iocClOrd = new int[MaxIoc];
    private readonly int[] _iocHost = new int[MaxIoc];
    private readonly int[] _iocChild = new int[MaxIoc];
    private int _iocCount;
    private long _iocInflight;

    // Our own footprint on the far side: depth (shares) taken by our aggressive orders, counted from the far touch
    // price it was taken at, refilling with the book's resilience.
    private double _taken;
    private long _takenAt;
    private int _takenFar;

    // Permanent impact (ExecutionSpec.PermanentImpactTicksPerLevel): ticks every later price is shifted by.
    private double _shiftTicks;

    // Feed gaps seen by the strategy: when it notices one, until when its view is stale, when it re-posts.
    private long _gapAt, _gapUntil, _rearmAt;

    private long _nextDecision, _reactAt, _sweepAt;
    private bool _done;

    private enum ChildState
    {
        None,
        PendingNew,
        Live,
        PendingReplace,
    }

    public ExecutionEngine(RunContext ctx, List<FixEvent>? fix, ExecutionPolicy? fixedPolicy)
    {
        _ctx = ctx;
        _spec = ctx.Scenario.Execution;
        _fix = fix;
        _fixedPolicy = fixedPolicy;
    }

    public ParentResult Run(ParentSpec p)
    {
        Reset(p);
        var n = _tape.Count;
        var i = _venueIdx + 1;
        var grace = p.DeadlineNs + 5 * Time.NanosPerSecond;
        while (true)
        {
            var tTape = i < n ? _tape.TsAt(i) : Never;
            var tAct = NextActionTime();
            if (_done && !InFlight())
            {
                break;
            }
            if (tAct == Never && tTape == Never)
            {
                break;
            }
            if (tTape < tAct)
            {
                if (tTape > grace)
                {
                    break;
                }
                ApplyTape(i++);
            }
            else
            {
                if (tAct > grace)
                {
                    break;
                }
                Act(tAct);
            }
        }
        return Result();
    }

    private void Reset(ParentSpec p)
    {
        _p = p;
        _shiftTicks = 0;
        _tape = _ctx.Tapes[p.Symbol];
        _home = _ctx.Hosts[p.Host];
        _side = p.Side;
        _venueIdx = _tape.IndexAt(p.ArrivalNs);
        _view = _venueIdx;
        _viewVolume = 0;
        var dur = Math.Max(1, p.DeadlineNs - p.ArrivalNs);
        _sliceNs = (long)(_spec.SliceSeconds * Time.NanosPerSecond);
        var lot = _tape.LotSize;
        _sliceQty = Math.Max(lot, (long)Math.Round((double)p.Qty * _sliceNs / dur / lot) * lot);
        _filled = 0;
        _notionalTicks = 0;
        _passiveQty = _aggressiveQty = _postedQty = 0;
        _firstWire = -1;
        _sendDelaySum = 0;
        _sends = 0;
        _children = _replaces = 0;
        _clOrdSeq = 0;
        _execSeq = 0;
        _evSeq = 0;
        _lastArrival = 0;
        _cs = ChildState.None;
        _cLeaves = 0;
        _cArrive = _cxlArrive = Never;
        _cAckSeen = Never;
        _lastReplaceNs = long.MinValue / 2;
        _gapAt = Never;
        _gapKnown = false;
        _gapUntil = long.MinValue;
        _rearmAt = Never;
        _taken = 0;
        _takenAt = 0;
        _takenFar = 0;
        _iocCount = 0;
        _iocInflight = 0;
        _nextDecision = p.ArrivalNs;
        _reactAt = Never;
        _sweepAt = Never;
        _done = false;
    }

    private bool InFlight() => _cs != ChildState.None || _cxlArrive != Never || _iocCount > 0 || _sweepAt != Never;

    private long NextActionTime()
    {
        var t = Math.Min(_cArrive, _cxlArrive);
        for (var k = 0; k < _iocCount; k++)
        {
            t = Math.Min(t, _iocArrive[k]);
        }
        if (!_done)
        {
            t = Math.Min(t, Math.Min(_p.DeadlineNs, Math.Min(_nextDecision, _reactAt)));
            t = Math.Min(t, Math.Min(_gapAt, _rearmAt));
        }
        return Math.Min(t, _sweepAt);
    }

    private void Act(long t)
    {
        if (_cArrive == t)
        {
            _cArrive = Never;
            VenueChildArrives(t);
            return;
        }
        if (_cxlArrive == t)
        {
            _cxlArrive = Never;
            VenueCancelArrives(t);
            return;
        }
        for (var k = 0; k < _iocCount; k++)
        {
            if (_iocArrive[k] == t)
            {
                VenueIocArrives(k, t);
                return;
            }
        }
        if (_sweepAt == t)
        {
            _sweepAt = Never;
            AdvanceView(t);
            var qty = _p.Qty - _filled - _iocInflight - _cLeaves;
            if (qty > 0)
            {
                SendIoc(t, qty, 10, Route(t, urgent: true));
            }
            return;
        }
        if (!_done && t == _p.DeadlineNs)
        {
            Deadline(t);
            return;
        }
        if (!_done && t == _nextDecision)
        {
            Decide(t);
            return;
        }
        if (!_done && t == _gapAt)
        {
            _gapAt = Never;
            GapDetected(t);
            return;
        }
        if (!_done && t == _rearmAt)
        {
            _rearmAt = Never;
            Rearm(t);
            return;
        }
        if (!_done && t == _reactAt)
        {
            _reactAt = Never;
            React(t);
        }
    }

    private ParentResult Result()
    {
        var tick = _tape.TickSize;
        var pd = _tape.MidAt(_p.ArrivalNs);
        var p0 = _firstWire < 0 ? pd : _tape.MidAt(_firstWire);
        var pn = _tape.MidAt(_p.DeadlineNs); // marked at the recorded mid: our permanent impact shows in later fills, as a recording shows it
        var s = _side;
        var x = _filled;
        var notional = _notionalTicks * tick;
        var delay = s * x * (p0 - pd);
        var impact = s * (notional - x * p0);
        var miss = s * (_p.Qty - x) * (pn - pd);
        var scale = 1e4 / (_p.Qty * pd);
        return new ParentResult(
            x, pd, p0, pn,
            (delay + impact + miss) * scale, delay * scale, impact * scale, miss * scale,
            _children, _replaces, _passiveQty, _aggressiveQty, _postedQty,
            _sends == 0 ? 0 : _sendDelaySum / _sends);
    }

    private ExecutionPolicy PolicyAt(long t) => _fixedPolicy ?? _home.PolicyAt(t).Policy;

    /// <summary>Host a new child goes through: the home host, or a validated low-pressure host when the policy says so.</summary>
    private int Route(long t, bool urgent)
    {
        var fallback = _ctx.FallbackHosts;
        if (fallback.Count == 0)
        {
            return _p.Host;
        }
        var (policy, regime) = _fixedPolicy is { } f ? (f, Regime.MapStable) : _home.PolicyAt(t);
        var alt = fallback[_p.Index % fallback.Count];
        if (alt == _p.Host)
        {
            return _p.Host;
        }
        return policy.Routing switch
        {
            RoutingPreference.ValidatedLowPressureOnly when urgent || _p.HighUrgency => alt,
            RoutingPreference.PreferLowPressure when regime >= Regime.FlushStorm => alt,
            _ => _p.Host,
        };
    }

    /// <summary>Wire time and venue arrival of a message decided at <paramref name="t"/> and sent through <paramref name="host"/>.</summary>
    private (long Wire, long Arrive) Send(long t, int host)
    {
        var hostDelay = _ctx.Hosts[host].SendDelayNs(t);
        var wire = t + (long)(_spec.StackLatencyUs * Time.NanosPerMicro) + hostDelay;
        var arrive = Math.Max(wire + _ctx.Venue.At(wire), _lastArrival + 1);
        _lastArrival = arrive;
        if (_firstWire < 0)
        {
            _firstWire = wire;
        }
        _sendDelaySum += hostDelay;
        _sends++;
        return (wire, arrive);
    }

    /// <summary>
    /// When a venue message sent at <paramref name="venueNs"/> reaches the strategy on <paramref name="host"/>: venue
    /// latency plus the host's ingest delay; if the host's RX ring dropped it (with the host's drop share at that
    /// millisecond, decided by a hash of <paramref name="key"/> so the draw is common to every run), a market-data
    /// packet waits for gap recovery and an order-entry segment for the TCP retransmission timeout.
    /// </summary>
    private long Receive(long venueNs, int host, ulong key, bool orderEntry) => Receive(venueNs, host, key, orderEntry, out _);

    private long Receive(long venueNs, int host, ulong key, bool orderEntry, out long normalNs)
    {
        var arrive = venueNs + _ctx.Venue.At(venueNs);
        var h = _ctx.Hosts[host];
        var t = arrive + h.IngestDelayNs(arrive);
        normalNs = t;
        var share = h.DropShareAt(arrive);
        if (share > 0 && Loss.Uniform(_ctx.LossSeed, (ulong)host, key) < share)
        {
            var ph = _ctx.Scenario.Physics;
            t += (long)((orderEntry ? ph.TcpRtoMinMs : ph.FeedGapRecoveryMs) * Time.NanosPerMilli);
        }
        return t;
    }

    /// <summary>Receive time of a market-data message (tape index <paramref name="i"/> of this parent's symbol).</summary>
    private long ReceiveMarket(int i) => ReceiveMarket(i, out _);

    private long ReceiveMarket(int i, out long normalNs) =>
        Receive(_tape.TsAt(i), _p.Host, ((ulong)(uint)_p.Symbol << 40) ^ (ulong)i, orderEntry: false, out normalNs);

    /// <summary>Receive time of an execution report of this parent sent at <paramref name="venueNs"/> (reports sent in the same nanosecond share a segment).</summary>
    private long ReceiveReport(long venueNs, int host) =>
        Receive(venueNs, host, 0x8000_0000_0000_0000UL ^ ((ulong)(uint)_p.Index << 44) ^ (ulong)venueNs, orderEntry: true);

    /// <summary>Moves the strategy's view to the latest market event it has received by <paramref name="t"/>.</summary>
    private void AdvanceView(long t)
    {
        while (_view + 1 <= _venueIdx && ReceiveMarket(_view + 1) <= t)
        {
            _view++;
            if (_tape.Kind(_view) != MarketTape.Quote && _tape.TsAt(_view) >= _p.ArrivalNs)
            {
                _viewVolume += _tape.TradeSize(_view);
            }
        }
    }

    /// <summary>Our permanent footprint on every price this parent sees, whole ticks (<see cref="SelfImpact.Shift"/>).</summary>
    private int Shift => (int)Math.Round(_shiftTicks);

    private int Touch(int idx) => (_side > 0 ? _tape.Bid(idx) : _tape.Ask(idx)) + Shift;

    private int Far(int idx) => (_side > 0 ? _tape.Ask(idx) : _tape.Bid(idx)) + Shift;

    private int TouchSize(int idx) => _side > 0 ? _tape.BidSize(idx) : _tape.AskSize(idx);

    private int FarSize(int idx) => _side > 0 ? _tape.AskSize(idx) : _tape.BidSize(idx);

    /// <summary>True when price <paramref name="a"/> is more aggressive than <paramref name="b"/> for our side.</summary>
    private bool Above(int a, int b) => _side * (a - b) > 0;
}
