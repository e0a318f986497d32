using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Control;

/// <summary>
/// Deadline pressure of one host's book over time, from <c>parent_orders</c> and the fills in <c>order_events</c>.
/// Ask in non-decreasing time order: it sweeps parents and fills forward once (O(parents + fills + queries·active)).
/// </summary>
internal sealed class StoreDeadlinePressure
{
    private readonly ParentOrder[] _parents;
    private readonly FillRow[] _fills;
    private readonly Dictionary<string, long> _filled = new(StringComparer.Ordinal);
    private readonly List<ParentOrder> _active = [];
    private double[] _pressures = new double[16];
    private long[] _qtys = new long[16];
    private int _nextParent;
    private int _nextFill;

    public StoreDeadlinePressure(DmaSlipStore store, string host)
    {
        var p = new Dictionary<string, object?> { ["h"] = host };
        _parents = store.Query<ParentOrder>("host = $h", "arrival_ts_ns", p).ToArray();
        _fills = [.. store.Sql<FillRow>("SELECT ts_ns, parent_id, qty FROM order_events WHERE host = $h AND kind = 'fill' ORDER BY ts_ns", p)];
    }

    public bool HasOrders => _parents.Length > 0;

    public double At(long nowNs)
    {
        while (_nextParent < _parents.Length && _parents[_nextParent].ArrivalTsNs <= nowNs)
        {
            _active.Add(_parents[_nextParent++]);
        }
        while (_nextFill < _fills.Length && _fills[_nextFill].TsNs <= nowNs)
        {
            var f = _fills[_nextFill++];
            _filled[f.ParentId] = _filled.GetValueOrDefault(f.ParentId) + f.Qty;
        }
        _active.RemoveAll(a => a.DeadlineTsNs <= nowNs || _filled.GetValueOrDefault(a.ParentId) >= a.Qty);
        if (_active.Count > _pressures.Length)
        {
            _pressures = new double[_active.Count * 2];
            _qtys = new long[_active.Count * 2];
        }
        for (var i = 0; i < _active.Count; i++)
        {
            var a = _active[i];
            _pressures[i] = DeadlinePressure.OfParent(a.ArrivalTsNs, a.DeadlineTsNs, a.Qty, _filled.GetValueOrDefault(a.ParentId), nowNs);
            _qtys[i] = a.Qty;
        }
        return DeadlinePressure.Book(_pressures.AsSpan(0, _active.Count), _qtys.AsSpan(0, _active.Count));
    }
}

/// <summary>A fill of <c>order_events</c>: when, of which parent, how many.</summary>
internal sealed record FillRow(long TsNs, string ParentId, long Qty);
