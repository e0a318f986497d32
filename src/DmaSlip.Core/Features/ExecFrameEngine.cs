using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

/// <summary>
/// Streaming execution-timing features (DESIGN §4.2) of one host: per (symbol, window) an <see cref="ExecFrame"/>.
/// Feed parents first (<see cref="RegisterParent"/>), then quotes and order events merged in time order. A symbol's
/// frame is emitted for each window in which this host had order events for it. Buffers are reused across windows;
/// this engine runs per order event, not per packet, so it uses dictionaries to pair requests with acks.
/// <list type="bullet">
/// <item>ingress gap variance: population variance of (receive gap − exchange gap) between consecutive quotes with an
/// exchange timestamp, µs².</item>
/// <item>decision-to-send p50/p95/p99: send ts − the child's decision ts, type-7 exact, ns (window of the send).</item>
/// <item>cancel/replace-to-ack drift: window median of (ack ts − request ts), paired by ClOrdId, minus the median of
/// the last <see cref="ExecFrameOptions.CalmHistory"/> calm windows' medians (calm per the caller's predicate), ns.</item>
/// <item>burst index B = (σ − μ)/(σ + μ) of the gaps between consecutive sends (≥ 2 gaps ending in the window).</item>
/// <item>phase error p95: p95 of |t − (arrival + k·grid)| over sends, k = round((t − arrival)/grid), ns.</item>
/// </list>
/// </summary>
public sealed partial class ExecFrameEngine
{
    private readonly IExecFrameSink _sink;
    private readonly ExecFrameOptions _options;
    private readonly Func<long, bool> _isCalmWindow;
    private readonly Dictionary<string, (string Symbol, long ArrivalTsNs)> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    private long _windowStart;
    private long _windowEnd = long.MinValue;

    /// <param name="isCalmWindow">Whether the window starting at the given ns was calm for this host (default: all calm).</param>
    public ExecFrameEngine(string host, IExecFrameSink sink, ExecFrameOptions? options = null, Func<long, bool>? isCalmWindow = null)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _options = options ?? ExecFrameOptions.Default;
        _options.Validate();
        _isCalmWindow = isCalmWindow ?? (_ => true);
    }

    public string Host { get; }

    /// <summary>Order events whose parent was never registered (dropped).</summary>
    public long UnknownParentEvents { get; private set; }

    public void RegisterParent(ParentOrder parent) => _parents[parent.ParentId] = (parent.Symbol, parent.ArrivalTsNs);

    public void ObserveQuote(in Quote q)
    {
        AdvanceTo(q.TsNs);
        if (q.ExchangeTsNs is not { } exch)
        {
            return;
        }
        var s = State(q.Symbol);
        if (s.LastRecvTs != long.MinValue)
        {
            var d = ((q.TsNs - s.LastRecvTs) - (exch - s.LastExchTs)) / 1_000.0;
            s.IngressN++;
            var delta = d - s.IngressMean;
            s.IngressMean += delta / s.IngressN;
            s.IngressM2 += delta * (d - s.IngressMean);
        }
        s.LastRecvTs = q.TsNs;
        s.LastExchTs = exch;
    }

    public void Observe(OrderEvent e)
    {
        AdvanceTo(e.TsNs);
        if (!_parents.TryGetValue(e.ParentId, out var parent))
        {
            UnknownParentEvents++;
            return;
        }
        var s = State(parent.Symbol);
        s.Active = true;
        switch (e.Kind)
        {
            case OrderEventKind.Decision:
                s.Decisions.TryAdd(e.ChildId, e.TsNs);
                break;
            case OrderEventKind.Send:
                if (s.Decisions.Remove(e.ChildId, out var decided))
                {
                    s.DecisionToSend.Add(e.TsNs - decided);
                }
                if (s.LastSendTs != long.MinValue)
                {
                    s.Gaps.Add(e.TsNs - s.LastSendTs);
                }
                s.LastSendTs = e.TsNs;
                var sinceArrival = e.TsNs - parent.ArrivalTsNs;
                var grid = _options.DispatchGridNs;
                var k = Math.Round(sinceArrival / (double)grid, MidpointRounding.AwayFromZero);
                s.PhaseErrors.Add(Math.Abs(sinceArrival - k * grid));
                s.Children++;
                break;
            case OrderEventKind.Cancel:
                s.PendingCancels.TryAdd(e.ClOrdId, e.TsNs);
                break;
            case OrderEventKind.CancelAck:
                if (s.PendingCancels.Remove(e.ClOrdId, out var cancelled))
                {
                    s.CancelAcks.Add(e.TsNs - cancelled);
                }
                break;
            case OrderEventKind.Replace:
                s.PendingReplaces.TryAdd(e.ClOrdId, e.TsNs);
                break;
            case OrderEventKind.ReplaceAck:
                if (s.PendingReplaces.Remove(e.ClOrdId, out var replaced))
                {
                    s.ReplaceAcks.Add(e.TsNs - replaced);
                }
                break;
            default:
                break;
        }
    }

    /// <summary>Closes the open window (end of stream).</summary>
    public void Flush()
    {
        if (_windowEnd != long.MinValue)
        {
            CloseWindow();
        }
    }

    private SymbolState State(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var s))
        {
            s = new SymbolState(symbol, _options.CalmHistory);
            _symbols.Add(symbol, s);
        }
        return s;
    }

    private void AdvanceTo(long tsNs)
    {
        if (tsNs < _windowEnd)
        {
            return;
        }
        if (_windowEnd != long.MinValue)
        {
            CloseWindow();
        }
        _windowStart = Time.FloorWindow(tsNs, _options.WindowNs);
        _windowEnd = _windowStart + _options.WindowNs;
    }
}
