using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>
/// The order events of one symbol's parents, by parent in time order: what a per-symbol pass (attribute, the models'
/// parent records) holds at a time instead of the database's every event (two 12 000-parent days: 7 M events).
/// </summary>
internal static class SymbolOrderEvents
{
    public static ILookup<string, OrderEvent> Of(DmaSlipStore store, string symbol) =>
        store.Query<OrderEvent>("parent_id IN (SELECT parent_id FROM parent_orders WHERE symbol = $symbol)", "parent_id, ts_ns",
            new Dictionary<string, object?> { ["symbol"] = symbol }, streaming: true).ToLookup(e => e.ParentId, StringComparer.Ordinal);
}
