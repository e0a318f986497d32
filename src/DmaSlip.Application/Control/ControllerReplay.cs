using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Application.Control;

/// <summary>Result of replaying one host's signals through a fresh controller.</summary>
internal sealed record HostReplay(string Host, long Updates, long FromNs, long ToNs, IReadOnlyList<RegimeTransition> Transitions,
    IReadOnlyDictionary<Regime, long> TimeInRegimeNs);

/// <summary>Runs stored signal series through the controller, exactly as an engine would have seen them live.</summary>
internal static class ControllerReplay
{
    public static HostReplay Run(string host, IEnumerable<HostSignalPoint> points, RegimeControllerConfig config)
    {
        RegimeController? c = null;
        var transitions = new List<RegimeTransition>();
        var time = new Dictionary<Regime, long> { [Regime.MapStable] = 0, [Regime.PressureWatch] = 0, [Regime.FlushStorm] = 0, [Regime.SafeDmaContain] = 0 };
        long updates = 0, from = 0, last = 0;
        foreach (var p in points)
        {
            if (c is null)
            {
                c = new RegimeController(config, p.TsNs);
                from = last = p.TsNs;
            }
            time[c.Current] += Math.Max(0, p.TsNs - last);
            last = Math.Max(last, p.TsNs);
            var before = c.Current;
            if (c.Update(p.TsNs, p.Signals))
            {
                transitions.Add(new RegimeTransition(host, p.TsNs, before, c.Current, c.LastReason.ToString()));
            }
            updates++;
        }
        return new HostReplay(host, updates, from, last, transitions, time);
    }
}
