using System.Collections.Concurrent;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Fleet.Wire;

namespace DmaSlip.Service;

/// <summary>Latest known state of one host, as the service saw it in committed messages.</summary>
public sealed record HostState(string Host, string Pool, Regime Regime, HostSignals Signals, long LastFrameSentNs, long LastSeenNs, long FramesReceived);

/// <summary>
/// The service's in-memory view of the fleet, updated only after messages are committed to the store (so it never
/// shows something the store does not have). Read by the HTTP API, the metrics callbacks and pool validation.
/// </summary>
public sealed class FleetState(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastTransitionNs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stormEntries = new(StringComparer.Ordinal);

    /// <summary>
    /// FLUSH_STORM entries (PRESSURE_WATCH → FLUSH_STORM transitions) committed per pool since the service started;
    /// a redelivered transition (not after the host's latest one) is not counted twice. The storm-recurrence alert
    /// rule reads this as <c>dmaslip_storm_entries_total{pool}</c>.
    /// </summary>
    public long StormEntries(string pool) => _stormEntries.GetValueOrDefault(pool);

    public IReadOnlyList<HostState> Hosts() => _hosts.Values.OrderBy(h => h.Host, StringComparer.Ordinal).ToArray();

    public void Apply(IReadOnlyList<FrameBatch> batches)
    {
        var now = Now();
        foreach (var b in batches)
        {
            _hosts.AddOrUpdate(b.Host,
                static (_, a) => new HostState(a.b.Host, a.b.Pool, a.b.Regime, a.b.Signals, a.b.SentNs, a.now, a.b.Frames.Count),
                static (_, old, a) => old.LastFrameSentNs > a.b.SentNs
                    ? old with { FramesReceived = old.FramesReceived + a.b.Frames.Count } // a redelivered older batch
                    : new HostState(a.b.Host, a.b.Pool, a.b.Regime, a.b.Signals, a.b.SentNs, a.now, old.FramesReceived + a.b.Frames.Count),
                (b, now));
        }
    }

    public void Apply(IReadOnlyList<RegimeChange> changes)
    {
        var now = Now();
        foreach (var c in changes)
        {
            var t = c.Transition;
            if (t.TsNs > _lastTransitionNs.GetValueOrDefault(c.Host, long.MinValue))
            {
                _lastTransitionNs[c.Host] = t.TsNs;
                if (t is { From: Regime.PressureWatch, To: Regime.FlushStorm })
                {
                    _stormEntries.AddOrUpdate(c.Pool, 1, static (_, n) => n + 1);
                }
            }
            _hosts.AddOrUpdate(c.Host,
                static (_, a) => new HostState(a.c.Host, a.c.Pool, a.c.Transition.To, a.c.Signals, a.c.SentNs, a.now, 0),
                static (_, old, a) => old.LastFrameSentNs > a.c.SentNs ? old : old with { Regime = a.c.Transition.To, Signals = a.c.Signals, LastSeenNs = a.now },
                (c, now));
        }
    }

    public long Now() => Fleet.UnixTime.Nanoseconds(time);
}
