using DmaSlip.Fleet;
using DmaSlip.Fleet.Consumer;
using DmaSlip.Fleet.Resilience;
using DmaSlip.Fleet.Routing;
using DmaSlip.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using OpenTelemetry.Metrics;

namespace DmaSlip.Service;

/// <summary>
/// <c>dmaslip serve</c>: consumes the fleet stream into the store (ack after commit), keeps pool routing in the KV
/// bucket, and serves the HTTP API and <c>/metrics</c>. <see cref="StartAsync"/> returns once it is listening;
/// <see cref="DisposeAsync"/> stops everything.
/// </summary>
public sealed partial class FleetService : IAsyncDisposable
{
    private readonly ServeOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, long> _lag = new(StringComparer.Ordinal);
    private readonly Lock _lagGate = new();
    private DmaSlipStore? _store;
    private FleetConnection? _nats;
    private ConnectionLog? _connectionLog;
    private WebApplication? _app;
    private FleetMetrics? _metrics;
    private Task _background = Task.CompletedTask;

    public FleetService(ServeOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        State = new FleetState(_time);
    }

    public FleetState State { get; }

    public StoreSink? Sink { get; private set; }

    public FleetConsumer? Consumer { get; private set; }

    public RouteTable? Routes { get; private set; }

    public int Replicas { get; private set; }

    /// <summary>The writer lease (docs/FLEET.md "One active writer").</summary>
    public WriterLease? Lease { get; private set; }

    /// <summary>Observer of every committed frame fetch (after the acks' commit), e.g. the load bench's latency probe.</summary>
    public Action<IReadOnlyList<DmaSlip.Fleet.Wire.FrameBatch>>? FramesCommitted { get; init; }

    /// <summary>The addresses Kestrel bound (resolves port 0).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken ct)
    {
        var token = Internal.TokenCheck.FromFile(_options.TokenFile);
        _store = DmaSlipStore.Open(_options.DbPath);
        if (_options.StoreThreads > 0)
        {
            _store.Execute(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SET threads = {_options.StoreThreads}"));
        }
        Sink = new StoreSink(_store);
        // Bounded first connect with a line per failed attempt; afterwards the client reconnects by itself and every
        // disconnect/reconnect is logged (docs/FLEET.md "Broker outages").
        _nats = FleetConnection.Create(_options.NatsUrl, "dmaslip-serve", waitForServer: false);
        _connectionLog = new ConnectionLog(_nats, Log, _time);
        await BrokerConnect.ConnectAsync(_nats, _options.NatsUrl, _options.ConnectTimeout, Log, _time, ct).ConfigureAwait(false);
        Replicas = _options.Replicas > 0 ? _options.Replicas : _nats.AutoReplicas();
        await RetryAsync(() => _nats.EnsureStreamAsync(Replicas, _options.StreamMaxAge, ct), ct).ConfigureAwait(false);
        var (frames, regimes) = await RetryAsync(() => _nats.EnsureConsumersAsync(_options.AckWait, ct), ct).ConfigureAwait(false);
        Routes = await RetryAsync(() => RouteTable.OpenAsync(_nats.KeyValue, Replicas, ct), ct).ConfigureAwait(false);
        Lease = await RetryAsync(() => WriterLease.OpenAsync(_nats.KeyValue, Replicas, _options.LeaseTtl, Me(), _time, ct), ct).ConfigureAwait(false);
        _metrics = new FleetMetrics(State, Sink, LagSnapshot, _time);
        Consumer = new FleetConsumer(frames, regimes, new Internal.FencedSink(Sink, () => Lease.Held), _options.FetchBatch, _options.CommitLinger)
        {
            OnFramesCommitted = b =>
            {
                Progressed(FleetNames.FramesConsumer);
                State.Apply(b);
                _metrics.Committed(b);
                FramesCommitted?.Invoke(b);
            },
            OnRegimesCommitted = c =>
            {
                Progressed(FleetNames.RegimesConsumer);
                State.Apply(c);
            },
        };
        var validator = new RouteValidator(State, Routes, Sink, _options.StaleAfter, _time);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(_options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // a failed start (HTTP port taken) reaches the caller as the exception, said in one line by the CLI; the
        // host's own log of it would add a stack trace
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(FleetMetrics.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        _app = builder.Build();
        _app.MapPrometheusScrapingEndpoint("/metrics");
        MapEndpoints(_app, token);
        await _app.StartAsync(ct).ConfigureAwait(false);
        Addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

        // The first lease attempt is made before returning, so the caller can say which role this instance starts in.
        await TryAcquireLeaseAsync(ct).ConfigureAwait(false);
        var stop = _stop.Token;
        _background = Task.WhenAll(
            LeaseLoopAsync(active => Task.WhenAll(Consumer.RunAsync(active), EveryAsync(validator.RefreshAsync, active)), stop),
            EveryAsync(_ => RefreshLagAsync(frames, regimes, stop), stop));
    }

    /// <summary>Runs until <paramref name="ct"/> fires (the CLI's Ctrl+C / SIGTERM).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await StartAsync(ct).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public bool NatsConnected => _nats?.Connection.ConnectionState == NATS.Client.Core.NatsConnectionState.Open;

    private IReadOnlyDictionary<string, long> LagSnapshot()
    {
        lock (_lagGate)
        {
            return new Dictionary<string, long>(_lag, StringComparer.Ordinal);
        }
    }

    private async Task RefreshLagAsync(INatsJSConsumer frames, INatsJSConsumer regimes, CancellationToken ct)
    {
        foreach (var c in new[] { frames, regimes })
        {
            await c.RefreshAsync(ct).ConfigureAwait(false);
            Observed(c.Info.Name, (long)c.Info.NumPending + c.Info.NumAckPending);
        }
    }

    private async Task EveryAsync(Func<CancellationToken, Task> work, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await work(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a broker hiccup must not stop the periodic work; the next round retries
            catch (Exception)
#pragma warning restore CA1031
            {
                // surfaced through /healthz (NATS state) and the lag gauge going stale
            }
            try
            {
                await Task.Delay(_options.RefreshInterval, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>JetStream API calls fail while a cluster elects its meta leader; retry those for a while at start.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 40 && !ct.IsCancellationRequested && ex is NatsJSException or NATS.Client.Core.NatsException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _background.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        await ReleaseLeaseAsync().ConfigureAwait(false);
        _connectionLog?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        _metrics?.Dispose();
        if (_nats is not null)
        {
            await _nats.DisposeAsync().ConfigureAwait(false);
        }
        _store?.Dispose();
        _stop.Dispose();
    }
}
