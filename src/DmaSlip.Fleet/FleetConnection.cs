using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Net;

namespace DmaSlip.Fleet;

/// <summary>
/// One NATS connection with its JetStream and KV contexts. The URL may list several servers (comma-separated); the
/// client fails over between them and keeps reconnecting forever, because agents must outlive broker outages
/// (their spool covers the gap).
/// </summary>
public sealed class FleetConnection : IAsyncDisposable
{
    private FleetConnection(NatsConnection connection)
    {
        Connection = connection;
        JetStream = connection.CreateJetStreamContext();
        KeyValue = new NatsKVContext(JetStream);
    }

    public NatsConnection Connection { get; }

    public INatsJSContext JetStream { get; }

    public INatsKVContext KeyValue { get; }

    /// <summary>Connects (retrying the first connect too when <paramref name="waitForServer"/> is set).</summary>
    public static async Task<FleetConnection> ConnectAsync(string url, string name, bool waitForServer, CancellationToken ct)
    {
        var fleet = Create(url, name, waitForServer);
        try
        {
            await fleet.Connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return fleet;
    }

    /// <summary>A connection that connects on first use (or when <see cref="NatsConnection.ConnectAsync"/> is called).</summary>
    public static FleetConnection Create(string url, string name, bool waitForServer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var opts = NatsOpts.Default with
        {
            Url = url,
            Name = name,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
            RetryOnInitialConnect = waitForServer,
            RequestTimeout = TimeSpan.FromSeconds(5),
            CommandTimeout = TimeSpan.FromSeconds(5),
        };
        return new FleetConnection(new NatsConnection(opts));
    }

    /// <summary>The replica count to use: 3 when the server reports at least two cluster peers, else 1.</summary>
    public int AutoReplicas()
    {
        var urls = Connection.ServerInfo?.ClientConnectUrls;
        return urls is { Length: >= 3 } ? 3 : 1;
    }

    /// <summary>Creates or updates the fleet stream (frames + regimes, file storage, 2 min dedup window).</summary>
    public async Task<StreamInfo> EnsureStreamAsync(int replicas, TimeSpan maxAge, CancellationToken ct)
    {
        var config = new StreamConfig(FleetNames.Stream, [FleetNames.FramesPrefix + ".>", FleetNames.RegimesPrefix + ".>"])
        {
            NumReplicas = replicas,
            Storage = StreamConfigStorage.File,
            Retention = StreamConfigRetention.Limits,
            DuplicateWindow = FleetNames.DuplicateWindow,
            MaxAge = maxAge,
            Discard = StreamConfigDiscard.Old,
        };
        var stream = await JetStream.CreateOrUpdateStreamAsync(config, ct).ConfigureAwait(false);
        return stream.Info;
    }

    /// <summary>Creates or updates the service's durable pull consumers (explicit ack).</summary>
    public async Task<(INatsJSConsumer Frames, INatsJSConsumer Regimes)> EnsureConsumersAsync(TimeSpan ackWait, CancellationToken ct)
    {
        var frames = await JetStream.CreateOrUpdateConsumerAsync(FleetNames.Stream, Durable(FleetNames.FramesConsumer, FleetNames.FramesPrefix + ".>", ackWait), ct).ConfigureAwait(false);
        var regimes = await JetStream.CreateOrUpdateConsumerAsync(FleetNames.Stream, Durable(FleetNames.RegimesConsumer, FleetNames.RegimesPrefix + ".>", ackWait), ct).ConfigureAwait(false);
        return (frames, regimes);
    }

    private static ConsumerConfig Durable(string name, string filter, TimeSpan ackWait) => new(name)
    {
        DurableName = name,
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        FilterSubject = filter,
        AckWait = ackWait,
        MaxAckPending = 50_000,
        MaxDeliver = -1,
    };

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
