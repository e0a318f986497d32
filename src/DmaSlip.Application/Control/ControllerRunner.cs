using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Control;

/// <summary>
/// <c>dmaslip controller replay</c>'s work: stored host frames through Core's host-signal pipeline. <see cref="Replay"/>
/// only reads; <see cref="Store"/> writes the transitions.
/// </summary>
internal static class ControllerRunner
{
    /// <summary>Every (or one) host with stored frames.</summary>
    public static IReadOnlyList<string> Hosts(DmaSlipStore store, string? host)
    {
        return store.Sql<string>(host is null
            ? "SELECT DISTINCT host FROM host_frames ORDER BY host"
            : "SELECT DISTINCT host FROM host_frames WHERE host = $h ORDER BY host",
            new Dictionary<string, object?> { ["h"] = host });
    }

    /// <summary>Replays every (or one) host in memory. Deadline pressure comes from the host's stored orders, if any.</summary>
    public static IReadOnlyList<HostReplay> Replay(DmaSlipStore store, string? host, RegimeControllerConfig config, ReplayBaseline baseline)
    {
        var results = new List<HostReplay>();
        foreach (var h in Hosts(store, host))
        {
            var frames = store.Query<HostFrame>("host = $h", "window_start_ns, device, queue", new Dictionary<string, object?> { ["h"] = h }).ToArray();
            var dp = new StoreDeadlinePressure(store, h);
            results.Add(ControllerReplay.Run(h, frames, config, baseline.For(h, frames), dp.HasOrders ? dp.At : static _ => 0));
        }
        return results;
    }

    /// <summary>Replaces the stored transitions of each replayed span with the replay's.</summary>
    public static void Store(DmaSlipStore store, IReadOnlyList<HostReplay> results)
    {
        foreach (var r in results)
        {
            store.InTransaction(() =>
            {
                // A replay under another config supersedes the previous replay of the same span, never adds to it.
                store.Execute("DELETE FROM regime_transitions WHERE host = $h AND ts_ns BETWEEN $f AND $t",
                    new Dictionary<string, object?> { ["h"] = r.Host, ["f"] = r.FromNs, ["t"] = r.ToNs });
                store.Insert(r.Transitions);
            });
        }
    }
}
