using NATS.Client.Core;

namespace DmaSlip.Fleet.Resilience;

/// <summary>The broker could not be reached within the connect bound (the CLI prints the message as one line, exit 3).</summary>
public sealed class BrokerUnreachableException(string message, Exception? inner) : Exception(message, inner);

/// <summary>
/// The first connect to NATS, retried for a bounded time with a progress line per failed attempt. Without a bound a
/// service pointed at a wrong URL would hang silently; with it the user sees every attempt and, at the end, one
/// line saying what was tried and why it failed. Once connected, the client's own reconnect (unbounded, see
/// <see cref="FleetConnection"/>) takes over and <see cref="ConnectionLog"/> reports the disconnects.
/// </summary>
public static class BrokerConnect
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Connects <paramref name="fleet"/> (created with <c>waitForServer: false</c>), retrying with a back-off of
    /// 0.25, 0.5, 1, 2, 2 … s until <paramref name="giveUpAfter"/> has passed, then throws
    /// <see cref="BrokerUnreachableException"/>. <see cref="TimeSpan.Zero"/> or less retries forever.
    /// </summary>
    public static async Task ConnectAsync(FleetConnection fleet, string url, TimeSpan giveUpAfter, Action<string>? progress, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var wait = FirstWait;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await fleet.Connection.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);
                if (attempt > 1)
                {
                    progress?.Invoke($"NATS at {url}: connected at attempt {attempt} after {time.GetElapsedTime(started).TotalSeconds:F1} s");
                }
                return;
            }
            catch (NatsException ex) when (!ct.IsCancellationRequested)
            {
                var elapsed = time.GetElapsedTime(started);
                var reason = Reason(ex);
                if (giveUpAfter > TimeSpan.Zero && elapsed >= giveUpAfter)
                {
                    throw new BrokerUnreachableException(
                        $"NATS at {url} is unreachable: {attempt} connect attempt(s) over {elapsed.TotalSeconds:F0} s failed (last: {reason}); check --nats and that nats-server runs with JetStream (-js)", ex);
                }
                var pause = giveUpAfter > TimeSpan.Zero && giveUpAfter - elapsed < wait ? giveUpAfter - elapsed : wait;
                progress?.Invoke(giveUpAfter > TimeSpan.Zero
                    ? $"NATS at {url}: connect attempt {attempt} failed ({reason}); retrying for {(giveUpAfter - elapsed).TotalSeconds:F0} s more"
                    : $"NATS at {url}: connect attempt {attempt} failed ({reason}); retrying");
                await Task.Delay(pause, time, ct).ConfigureAwait(false);
                wait = wait * 2 < MaxWait ? wait * 2 : MaxWait;
            }
        }
    }

    /// <summary>The innermost message (the socket error says more than "can not connect uris").</summary>
    public static string Reason(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner.Message.ReplaceLineEndings(" ").Trim();
    }
}
