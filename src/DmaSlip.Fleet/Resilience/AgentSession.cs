using DmaSlip.Fleet.Agent;

namespace DmaSlip.Fleet.Resilience;

/// <summary>
/// One agent run against a broker: sampling starts at once (what it produces waits in the spool) while the first
/// connect is retried for a bounded time with a progress line per attempt; if the broker is never reached the run
/// stops and <see cref="BrokerUnreachableException"/> says so in one line. Once connected, an outage is what the
/// spool is for: the client reconnects by itself and <see cref="ConnectionLog"/> reports every disconnect and reconnect.
/// </summary>
public static class AgentSession
{
    public static async Task<AgentReport> RunAsync(FleetAgent agent, string url, string clientName, TimeSpan connectTimeout, TimeSpan drainTimeout,
        Action<string> progress, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var connection = FleetConnection.Create(url, clientName, waitForServer: false);
        await using (connection.ConfigureAwait(false))
        {
            using var log = new ConnectionLog(connection, progress, time);
            // Not linked to ct: when the run stops (--duration, SIGTERM) the agent still drains its spool for up to the
            // drain timeout, so the connect attempts go on meanwhile; only giving up on the broker abandons the drain.
            using var abandon = new CancellationTokenSource();
            var connecting = BrokerConnect.ConnectAsync(connection, url, connectTimeout, progress, time, abandon.Token);
            var running = agent.RunAsync(connection.JetStream, drainTimeout, ct, abandon.Token);
            if (await Task.WhenAny(connecting, running).ConfigureAwait(false) == connecting && connecting.Exception?.InnerException is BrokerUnreachableException gaveUp)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
                var report = await running.ConfigureAwait(false);
                throw new BrokerUnreachableException($"{gaveUp.Message}; {report.Windows} window(s) sampled, {report.Unsent} message(s) not sent", gaveUp.InnerException);
            }
            var result = await running.ConfigureAwait(false);
            await abandon.CancelAsync().ConfigureAwait(false);
            try
            {
                await connecting.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or BrokerUnreachableException)
            {
                // the run ended first; a connect still pending is moot
            }
            return result;
        }
    }
}
