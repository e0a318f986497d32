using System.Text.Json;
using NATS.Client.KeyValueStore;

namespace DmaSlip.Fleet.Routing;

/// <summary>
/// The fleet routing table in the JetStream KV bucket <c>dmaslip-routes</c>. Every change is a compare-and-set on the
/// key's revision (create-if-absent for a new pool), retried on conflict after re-reading, so concurrent writers
/// (several service instances, operators) never overwrite each other's changes blindly.
/// </summary>
public sealed class RouteTable
{
    private const int MaxAttempts = 16;
    private readonly INatsKVStore _kv;

    private RouteTable(INatsKVStore kv) => _kv = kv;

    public static async Task<RouteTable> OpenAsync(INatsKVContext kv, int replicas, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kv);
        var store = await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(FleetNames.RoutesBucket)
        {
            History = 16,
            NumberOfReplicas = replicas,
            Storage = NatsKVStorageType.File,
            Description = "DmaSlip fleet routing: validated low-pressure pools",
        }, ct).ConfigureAwait(false);
        return new RouteTable(store);
    }

    public async Task<IReadOnlyList<PoolRoute>> AllAsync(CancellationToken ct)
    {
        var result = new List<PoolRoute>();
        try
        {
            await foreach (var key in _kv.GetKeysAsync(cancellationToken: ct).ConfigureAwait(false))
            {
                if (await GetAsync(key, ct).ConfigureAwait(false) is { Route: { } r })
                {
                    result.Add(r);
                }
            }
        }
        catch (NatsKVException) when (!ct.IsCancellationRequested)
        {
            // an empty bucket reports "no keys" as an error on some servers
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Pool, b.Pool));
        return result;
    }

    public async Task<(PoolRoute? Route, ulong Revision)> GetAsync(string pool, CancellationToken ct)
    {
        var entry = await _kv.TryGetEntryAsync<byte[]>(pool, cancellationToken: ct).ConfigureAwait(false);
        if (!entry.Success || entry.Value.Value is not { Length: > 0 } bytes)
        {
            return (null, 0);
        }
        return (JsonSerializer.Deserialize(bytes, RouteJsonContext.Default.PoolRoute), entry.Value.Revision);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the pool's current route (null when absent) with compare-and-set; the
    /// function is re-run on the fresh value after a conflict. Returns the stored route and whether it changed
    /// (<paramref name="change"/> returning the same value or null means no write).
    /// </summary>
    public async Task<(PoolRoute? Route, bool Changed, int Conflicts)> UpdateAsync(string pool, Func<PoolRoute?, PoolRoute?> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        FleetNames.RequireToken(pool, "pool");
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (current, revision) = await GetAsync(pool, ct).ConfigureAwait(false);
            var next = change(current);
            if (next is null || next == current)
            {
                return (current, false, attempt);
            }
            var bytes = JsonSerializer.SerializeToUtf8Bytes(next, RouteJsonContext.Default.PoolRoute);
            try
            {
                if (revision == 0)
                {
                    await _kv.CreateAsync(pool, bytes, cancellationToken: ct).ConfigureAwait(false);
                }
                else
                {
                    await _kv.UpdateAsync(pool, bytes, revision, cancellationToken: ct).ConfigureAwait(false);
                }
                return (next, true, attempt);
            }
            catch (NatsKVWrongLastRevisionException)
            {
                // someone else wrote first: re-read and re-apply
            }
            catch (NatsKVCreateException)
            {
                // created concurrently: re-read and re-apply
            }
            // Randomised, growing back-off so that writers who keep colliding spread out instead of livelocking
            // (up to 1, 2, 4 … 32 ms); without it a slow writer among many fast ones could lose every round.
            await Task.Delay(Random.Shared.Next(0, 1 << Math.Min(attempt, 5)) + 1, ct).ConfigureAwait(false);
        }
        throw new InvalidOperationException($"Route of pool '{pool}' kept changing under {MaxAttempts} compare-and-set attempts.");
    }
}
