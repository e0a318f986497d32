using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Routing;

namespace DmaSlip.Service;

/// <summary>
/// Keeps each pool's measured routing state in the KV bucket current: a pool is measured low-pressure when it has
/// hosts, every one of them committed a message within <c>staleAfter</c>, and every one is MAP_STABLE. Writes go
/// through <see cref="RouteTable.UpdateAsync"/> (compare-and-set) and only when the state changes; each change of
/// a pool's effective state is also recorded in the <c>routes</c> table.
/// </summary>
internal sealed class RouteValidator(FleetState state, RouteTable routes, StoreSink sink, TimeSpan staleAfter, TimeProvider time)
{
    private readonly long _startedNs = Fleet.UnixTime.Nanoseconds(time);

    public async Task RefreshAsync(CancellationToken ct)
    {
        var now = state.Now();
        var byPool = state.Hosts().GroupBy(h => h.Pool, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var known = (await routes.AllAsync(ct).ConfigureAwait(false)).Select(r => r.Pool);
        foreach (var pool in byPool.Keys.Union(known, StringComparer.Ordinal))
        {
            var (measured, reason) = Assess(byPool.GetValueOrDefault(pool) ?? [], now);
            if (measured is null)
            {
                continue; // just restarted: wait for the pool's hosts before judging
            }
            var (route, changed, _) = await routes.UpdateAsync(pool, cur =>
                cur is null ? new PoolRoute(pool, measured.Value, reason, false, null, null, now)
                : cur.Measured == measured.Value ? cur
                : cur with { Measured = measured.Value, MeasuredReason = reason, UpdatedNs = now }, ct).ConfigureAwait(false);
            if (changed && route is not null)
            {
                sink.RecordRoute(new RouteChange(now, pool, route.State, reason, "dmaslip-serve"));
            }
        }
    }

    private (bool? Measured, string Reason) Assess(HostState[] hosts, long now)
    {
        if (hosts.Length == 0)
        {
            return now - _startedNs < staleAfter.Ticks * 100 ? (null, "") : (false, "no host of the pool has reported");
        }
        var stale = hosts.Where(h => now - h.LastSeenNs > staleAfter.Ticks * 100).Select(h => h.Host).ToArray();
        if (stale.Length > 0)
        {
            return (false, $"{stale.Length} of {hosts.Length} hosts silent for > {staleAfter.TotalSeconds:F0} s ({string.Join(",", stale.Take(5))})");
        }
        var pressured = hosts.Where(h => h.Regime != Regime.MapStable).ToArray();
        if (pressured.Length > 0)
        {
            return (false, $"{pressured.Length} of {hosts.Length} hosts not MAP_STABLE ({string.Join(",", pressured.Take(5).Select(h => h.Host + "=" + h.Regime.Name()))})");
        }
        return (true, $"all {hosts.Length} hosts MAP_STABLE and reporting");
    }
}
