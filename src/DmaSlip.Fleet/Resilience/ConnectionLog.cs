using NATS.Client.Core;

namespace DmaSlip.Fleet.Resilience;

/// <summary>
/// Writes a line for every disconnect and reconnect of a NATS connection (and, while disconnected, a reminder at
/// the 1st, 10th, 100th … failed reconnect attempt, so a long outage is visible without flooding the log), and
/// counts them for <c>/healthz</c>. The client keeps reconnecting by itself; this only makes it visible.
/// </summary>
public sealed class ConnectionLog : IDisposable
{
    private readonly NatsConnection _connection;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _opened;
    private long _disconnects;
    private long _failedAttempts;
    private long _disconnectedAt;

    public ConnectionLog(FleetConnection fleet, Action<string> log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        _connection = fleet.Connection;
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _connection.ConnectionOpened += OnOpenedAsync;
        _connection.ConnectionDisconnected += OnDisconnectedAsync;
        _connection.ReconnectFailed += OnReconnectFailedAsync;
    }

    /// <summary>Disconnects seen since the connection first opened.</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>Reconnects that succeeded (openings after the first).</summary>
    public long Reconnects => Math.Max(0, Interlocked.Read(ref _opened) - 1);

    private ValueTask OnOpenedAsync(object? sender, NatsEventArgs args)
    {
        lock (_gate)
        {
            var first = _opened++ == 0;
            var url = _connection.ServerInfo is { } info ? $"{info.Host}:{info.Port}" : "the server";
            _log(first
                ? $"NATS: connected to {url}"
                : $"NATS: reconnected to {url} after {_time.GetElapsedTime(_disconnectedAt).TotalSeconds:F1} s ({_failedAttempts} failed attempt(s))");
            _failedAttempts = 0;
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        lock (_gate)
        {
            _disconnects++;
            _disconnectedAt = _time.GetTimestamp();
            _failedAttempts = 0;
            _log($"NATS: disconnected from {args.Message}; reconnecting");
        }
        return ValueTask.CompletedTask;
    }

    private ValueTask OnReconnectFailedAsync(object? sender, NatsEventArgs args)
    {
        lock (_gate)
        {
            var n = ++_failedAttempts;
            if (n is 1 or 10 or 100 || n % 1000 == 0)
            {
                _log($"NATS: still disconnected after {_time.GetElapsedTime(_disconnectedAt).TotalSeconds:F0} s ({n} failed reconnect attempt(s) to {args.Message})");
            }
        }
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _connection.ConnectionOpened -= OnOpenedAsync;
        _connection.ConnectionDisconnected -= OnDisconnectedAsync;
        _connection.ReconnectFailed -= OnReconnectFailedAsync;
    }
}
