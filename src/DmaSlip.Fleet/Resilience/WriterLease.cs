using System.Text.Json;
using System.Text.Json.Serialization;
using NATS.Client.KeyValueStore;

namespace DmaSlip.Fleet.Resilience;

/// <summary>Who holds the writer lease: one <c>dmaslip serve</c> process and the database it writes.</summary>
public sealed record LeaseHolder(string Instance, string Machine, int Pid, string Db, long SinceNs);

/// <summary>
/// The one-active-writer lease of the fleet stream's consumers, kept in the JetStream KV bucket
/// <c>dmaslip-lease</c> (key <c>serve</c>, history 1, max age = the lease TTL). Taking it is a create-if-absent;
/// keeping it is a compare-and-set update on the revision this holder wrote last, every TTL/3. A holder that stops
/// renewing (killed, hung, cut off) stops writing the key, and the server expires its entry TTL after its last
/// renewal; a standby's next create then succeeds. A holder whose renewal is answered "wrong last sequence" lost the
/// lease to someone else and must stop at once.
/// </summary>
/// <remarks>
/// Fencing is by time: the holder treats the lease as its own only until <see cref="FenceFraction"/> of the TTL after
/// the moment it <em>sent</em> its last successful renewal (the server's expiry counts from the later moment it
/// stored it), so a holder that cannot renew stops committing before a standby can take over. This assumes the two
/// machines' clocks run at the same rate (not that they agree), which NTP-disciplined hosts satisfy by far.
/// </remarks>
public sealed class WriterLease
{
    public const string Key = "serve";

    /// <summary>Share of the TTL after the last renewal during which the holder still writes.</summary>
    public const double FenceFraction = 0.8;

    private readonly INatsKVStore _kv;
    private readonly TimeProvider _time;
    private readonly byte[] _mine;
    private ulong _revision;
    private long _renewSentAt;

    private WriterLease(INatsKVStore kv, LeaseHolder me, TimeSpan ttl, TimeProvider time)
    {
        _kv = kv;
        Me = me;
        Ttl = ttl;
        _time = time;
        _mine = JsonSerializer.SerializeToUtf8Bytes(me, LeaseJsonContext.Default.LeaseHolder);
    }

    public LeaseHolder Me { get; }

    public TimeSpan Ttl { get; }

    /// <summary>The holder seen at the last attempt (this instance while it holds the lease; null when none).</summary>
    public LeaseHolder? Holder { get; private set; }

    /// <summary>True while this instance holds the lease and is inside the fenced part of its TTL.</summary>
    public bool Held => Interlocked.Read(ref _revision) != 0 && _time.GetElapsedTime(Interlocked.Read(ref _renewSentAt)) < Ttl * FenceFraction;

    public static async Task<WriterLease> OpenAsync(INatsKVContext kv, int replicas, TimeSpan ttl, LeaseHolder me, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kv);
        if (ttl < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "the lease TTL must be at least 1 s");
        }
        var store = await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(FleetNames.LeaseBucket)
        {
            History = 1,
            MaxAge = ttl,
            NumberOfReplicas = replicas,
            Storage = NatsKVStorageType.File,
            Description = "DmaSlip fleet: which dmaslip serve consumes the stream (one active writer)",
        }, ct).ConfigureAwait(false);
        return new WriterLease(store, me, ttl, time);
    }

    /// <summary>
    /// Takes the lease when nobody holds it, or when the holder is this instance's own previous run (same machine and
    /// database: that process is gone, since it held the database's lock which this one now has). False when another
    /// instance holds it (see <see cref="Holder"/>).
    /// </summary>
    public async Task<bool> TryAcquireAsync(CancellationToken ct)
    {
        var sent = _time.GetTimestamp();
        var entry = await _kv.TryGetEntryAsync<byte[]>(Key, cancellationToken: ct).ConfigureAwait(false);
        try
        {
            ulong revision;
            if (entry.Success && entry.Value.Value is { Length: > 0 } bytes)
            {
                var holder = JsonSerializer.Deserialize(bytes, LeaseJsonContext.Default.LeaseHolder);
                Holder = holder;
                if (holder is null || holder.Instance == Me.Instance || holder.Machine != Me.Machine || holder.Db != Me.Db)
                {
                    return holder?.Instance == Me.Instance && Held;
                }
                revision = await _kv.UpdateAsync(Key, _mine, entry.Value.Revision, cancellationToken: ct).ConfigureAwait(false);
            }
            else
            {
                revision = await _kv.CreateAsync(Key, _mine, cancellationToken: ct).ConfigureAwait(false);
            }
            Interlocked.Exchange(ref _renewSentAt, sent);
            Interlocked.Exchange(ref _revision, revision);
            Holder = Me;
            return true;
        }
        catch (Exception ex) when (ex is NatsKVCreateException or NatsKVWrongLastRevisionException)
        {
            return false; // someone else took it between the read and the write
        }
    }

    /// <summary>
    /// Renews a held lease. False when it was lost (someone else wrote the key, or it expired before this renewal);
    /// broker errors propagate: the caller keeps trying while <see cref="Held"/> is true.
    /// </summary>
    public async Task<bool> RenewAsync(CancellationToken ct)
    {
        var revision = Interlocked.Read(ref _revision);
        if (revision == 0)
        {
            return false;
        }
        var sent = _time.GetTimestamp();
        try
        {
            var next = await _kv.UpdateAsync(Key, _mine, revision, cancellationToken: ct).ConfigureAwait(false);
            Interlocked.Exchange(ref _renewSentAt, sent);
            Interlocked.Exchange(ref _revision, next);
            return true;
        }
        catch (NatsKVWrongLastRevisionException)
        {
            Interlocked.Exchange(ref _revision, 0);
            return false;
        }
    }

    /// <summary>Gives the lease up (a graceful stop), so a standby takes over at its next attempt instead of after the TTL.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        var revision = Interlocked.Exchange(ref _revision, 0);
        if (revision != 0)
        {
            await _kv.TryDeleteAsync(Key, new NatsKVDeleteOpts { Revision = revision }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets the lease without touching the key (the holder stepped down; the key expires on its own).</summary>
    public void Abandon() => Interlocked.Exchange(ref _revision, 0);
}

[JsonSerializable(typeof(LeaseHolder))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class LeaseJsonContext : JsonSerializerContext;
