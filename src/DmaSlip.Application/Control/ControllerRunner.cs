using DmaSlip.Core.Control;
using DmaSlip.Storage;

namespace DmaSlip.Application.Control;

/// <summary><c>dmaslip controller replay</c>'s work: the regime controller over stored host frames.</summary>
internal static class ControllerRunner
{
    /// <summary>The signal source replay uses (desk metrics from stored host frames).</summary>
    internal static IHostSignalSource Signals { get; set; } = new FrameSignalSource();

    /// <summary>Replays every (or one) host and replaces the stored transitions of each replayed span.</summary>
    internal static IReadOnlyList<HostReplay> Run(DmaSlipStore store, string? host, RegimeControllerConfig config)
    {
        var results = new List<HostReplay>();
        foreach (var h in Signals.Hosts(store, host))
        {
            var r = ControllerReplay.Run(h, Signals.Read(store, h), config);
            store.InTransaction(() =>
            {
                // A replay under another config supersedes the previous replay of the same span, never adds to it.
                store.Execute("DELETE FROM regime_transitions WHERE host = $h AND ts_ns BETWEEN $f AND $t",
                    new Dictionary<string, object?> { ["h"] = h, ["f"] = r.FromNs, ["t"] = r.ToNs });
                store.Insert(r.Transitions);
            });
            results.Add(r);
        }
        return results;
    }
}
