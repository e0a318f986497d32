using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Agent;
using DmaSlip.Fleet.Spool;
using DmaSlip.Service;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>Shared steps of the fleet integration tests.</summary>
internal static class FleetRig
{
    public static async Task<AgentReport> RunAgentAsync(string url, string dir, string host, string pool, double speed, SpoolOptions? spool = null, CancellationToken ct = default)
    {
        var source = new ReplayFrameSource(dir, host, speed, TimeProvider.System);
        using var messages = new MessageSpool(spool ?? new SpoolOptions(null));
        var agent = new FleetAgent(host, pool, source, new ControllerRegimeTracker(host, DmaSlip.Core.Control.RegimeControllerConfig.Default, warmupWindows: 20), messages, TimeProvider.System);
        var connection = FleetConnection.Create(url, "test-agent-" + host, waitForServer: true);
        await using (connection)
        {
            _ = connection.Connection.ConnectAsync().AsTask();
            return await agent.RunAsync(connection.JetStream, TimeSpan.FromSeconds(60), ct);
        }
    }

    public static async Task<FleetService> StartServiceAsync(string natsUrl, string db, string? tokenFile = null)
    {
        var service = new FleetService(new ServeOptions(natsUrl, "http://127.0.0.1:0", db, tokenFile)
        {
            AckWait = TimeSpan.FromSeconds(5),
            RefreshInterval = TimeSpan.FromMilliseconds(250),
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await service.StartAsync(cts.Token);
        return service;
    }

    /// <summary><c>dmaslip serve</c> as a child process on 127.0.0.1:<paramref name="port"/> (ack wait 3 s).</summary>
    public static ChildProcess StartServe(string natsUrl, int port, string db, params string[] extra) =>
        new("dotnet", [DmaSlipExe.Dll, "serve", "--nats", natsUrl, "--urls", $"http://127.0.0.1:{port}", "--db", db, "--ack-wait", "3", .. extra]);

    /// <summary>A number of <c>/healthz</c>; for <c>consumer_lag</c> the frames consumer's (max when not known yet).</summary>
    public static async Task<long> HealthNumberAsync(HttpClient http, string field)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var v = doc.RootElement.GetProperty(field);
        return v.ValueKind == System.Text.Json.JsonValueKind.Object
            ? v.TryGetProperty(FleetNames.FramesConsumer, out var lag) ? lag.GetInt64() : long.MaxValue
            : v.GetInt64();
    }

    public static long FrameCount(FleetService service, string host)
    {
        lock (service.Sink!.Gate)
        {
            return FrameCount(service.Sink.Store, host);
        }
    }

    public static long FrameCount(DmaSlipStore store, string host) =>
        Convert.ToInt64(store.Sql("SELECT count(*) FROM host_frames WHERE host = $h", new Dictionary<string, object?> { ["h"] = host }).Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The stored frames of a host in key order, to compare with what was replayed.</summary>
    public static IReadOnlyList<HostFrame> StoredFrames(DmaSlipStore store, string host) =>
        store.Query<HostFrame>("host = $h", "window_start_ns, device, queue", new Dictionary<string, object?> { ["h"] = host }).ToArray();

    public static async Task WaitForFramesAsync(FleetService service, string host, long expected, TimeSpan timeout) =>
        await Ports.WaitUntilAsync(() => Task.FromResult(FrameCount(service, host) >= expected), timeout, $"{expected} frames of {host} in the store");
}
