namespace DmaSlip.Service;

/// <summary>Settings of <c>dmaslip serve</c>.</summary>
public sealed record ServeOptions(string NatsUrl, string Urls, string DbPath, string? TokenFile)
{
    /// <summary>Stream/KV replicas; 0 = 3 on a cluster of at least 3 servers, else 1.</summary>
    public int Replicas { get; init; }

    /// <summary>How long the stream keeps messages (it is a transport with replay, the store is the record).</summary>
    public TimeSpan StreamMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long JetStream waits for an ack before redelivering.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A host that has not reported for this long makes its pool not validated.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often pool validation and consumer lag are refreshed.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int FetchBatch { get; init; } = 1000;

    /// <summary>How long the consumer waits for more messages before a store commit (see <c>FleetConsumer</c>).</summary>
    public TimeSpan CommitLinger { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// DuckDB worker threads of the service's store (0 = DuckDB's default, one per core). The service's work is many
    /// small appends and point queries, for which DuckDB's parallel task scheduling costs more than it gains: one
    /// thread halves the CPU per stored frame (<c>fleet-store</c> bench, docs/PERFORMANCE.md).
    /// </summary>
    public int StoreThreads { get; init; } = 1;

    /// <summary>How long the first connect to NATS is retried before <c>serve</c> gives up (exit 3); zero = forever.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// TTL of the writer lease (docs/FLEET.md "One active writer"): a standby takes over at most this long (plus one
    /// poll) after the active instance stopped renewing. Every instance on one stream should use the same value.
    /// </summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A consumer with more messages than this pending or awaiting ack lags (<c>/healthz</c> "degraded").</summary>
    public long LagLimit { get; init; } = 10_000;

    /// <summary>A consumer that has had messages pending for this long without committing any is stalled ("degraded").</summary>
    public TimeSpan LagAge { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where progress, connection and lease lines go (the CLI: stderr).</summary>
    public Action<string>? Log { get; init; }

    public const string DefaultUrls = "http://127.0.0.1:8480";
}
