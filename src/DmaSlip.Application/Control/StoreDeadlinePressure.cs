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
    private readonly (long Ts, string Parent, long Qty)[] _fills;
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
        var fills = store.Sql("SELECT ts_ns, parent_id, qty FROM order_events WHERE host = $h AND kind = 'fill' ORDER BY ts_ns", p);
        _fills = fills.Rows.Select(r => (Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), (string)r[1]!,
            Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture))).ToArray();
    }

    public bool HasOrders => _parents.Length > 0;

    public double At(long nowNs)
    {
        while (_nextParent < _parents.Length && _parents[_nextParent].ArrivalTsNs <= nowNs)
        {
            _active.Add(_parents[_nextParent++]);
        }
        while (_nextFill < _fills.Length && _fills[_nextFill].Ts <= nowNs)
        {
            var f = _fills[_nextFill++];
            _filled[f.Parent] = _filled.GetValueOrDefault(f.Parent) + f.Qty;
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
