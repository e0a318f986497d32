using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Execution;

/// <summary>
/// One-way latency between the hosts and the venue: a base, a small jitter that is a pure function of time
/// (hash of the 10 µs slot, so the real run and the twin see the same value), and the scenario's venue/network
/// shocks (trapezoids: 10 % ramps). Independent of the host: the confounder.
/// </summary>
internal sealed class VenueLatency
{
    private readonly long _baseNs;
    private readonly ulong _seed;
    private readonly (long Start, long End, long Ramp, double ExtraNs)[] _shocks;

    public VenueLatency(Scenario scenario, long seed)
    {
        _baseNs = (long)(scenario.Execution.VenueLatencyUs * Time.NanosPerMicro);
        _seed = unchecked((ulong)seed * 0xA24BAED4963EE407UL + 0x9FB21C651E98DF25UL);
        _shocks = scenario.VenueShocks
            .Select(v =>
            {
                var s = scenario.SessionStartNs + (long)(v.StartMinute * Time.NanosPerMinute);
                var e = s + (long)(v.DurationMinutes * Time.NanosPerMinute);
                return (s, e, Math.Max(1, (e - s) / 10), v.ExtraLatencyUs * Time.NanosPerMicro);
            })
            .ToArray();
        var maxJitter = 0.1 * _baseNs * Internal.QuantileTable.Exponential.Max();
        MaxNs = _baseNs + (long)Math.Ceiling(maxJitter) + 1 + (long)Math.Ceiling(_shocks.Sum(v => v.ExtraNs));
    }

    /// <summary>An upper bound of <see cref="At"/> over the whole session (base, largest jitter, every shock at once).</summary>
    public long MaxNs { get; }

    public long At(long tsNs)
    {
        var slot = (ulong)(tsNs / 10_000);
        var h = (slot ^ _seed) * 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        // Exponential jitter (mean 10 % of the base) from a stratified quantile table: no logarithm per message.
        var jitter = 0.1 * _baseNs * Internal.QuantileTable.Exponential[Internal.QuantileTable.Cell(h)];
        return _baseNs + (long)jitter + ShockNs(tsNs);
    }

    public long ShockNs(long tsNs)
    {
        var extra = 0.0;
        foreach (var (start, end, ramp, ns) in _shocks)
        {
            if (tsNs < start || tsNs >= end)
            {
                continue;
            }
            var f = Math.Min(1.0, Math.Min((tsNs - start) / (double)ramp, (end - tsNs) / (double)ramp));
            extra += f * ns;
        }
        return (long)extra;
    }

    public bool InShock(long fromNs, long toNs)
    {
        foreach (var (start, end, _, _) in _shocks)
        {
            if (fromNs < end && toNs >= start)
            {
                return true;
            }
        }
        return false;
    }
}
