using System.Collections.Concurrent;
using System.Text.Json;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Service;
using DmaSlip.Testing;
using Xunit.Abstractions;

namespace DmaSlip.Fleet.Tests;

/// <summary>
/// An unreachable or lost broker and a lagging consumer: bounded connect retries with progress, one error line and
/// exit 3; disconnects and reconnects logged; <c>/healthz</c> "degraded" while the broker is gone or the consumer lags.
/// </summary>
[Collection("fleet-integration")]
public sealed class BrokerOutageTests(ITestOutputHelper log)
{
    [Fact]
    public void Serve_with_an_unreachable_nats_retries_with_progress_lines_then_exits_3_with_one_error_line()
    {
        using var dir = new TempDir();
        var deadPort = Ports.Free();
        using var serve = new ChildProcess("dotnet", [DmaSlipExe.Dll, "serve", "--nats", $"nats://127.0.0.1:{deadPort}", "--urls", $"http://127.0.0.1:{Ports.Free()}",
            "--db", dir.File("s.duckdb"), "--connect-timeout", "2"]);
        var exit = serve.WaitForExit(TimeSpan.FromSeconds(60));
        log.WriteLine(serve.Log);
        Assert.Equal(3, exit);
        AssertRetriedThenOneErrorLine(serve.Log, deadPort);
    }

    [Fact]
    public void Agent_with_an_unreachable_nats_samples_into_its_spool_retries_then_exits_3_saying_what_was_kept()
    {
        using var dir = new TempDir();
        FrameFiles.Write(dir.Path, "h9", windows: 40, stormFrom: 1000);
        var deadPort = Ports.Free();
        using var agent = new ChildProcess("dotnet", [DmaSlipExe.Dll, "agent", "--nats", $"nats://127.0.0.1:{deadPort}", "--host", "h9", "--pool", "p9",
            "--source", "replay", dir.Path, "--speed", "20", "--spool", dir.File("spool"), "--connect-timeout", "2"]);
        var exit = agent.WaitForExit(TimeSpan.FromSeconds(60));
        log.WriteLine(agent.Log);
        Assert.Equal(3, exit);
        AssertRetriedThenOneErrorLine(agent.Log, deadPort);
        Assert.Contains($"kept in the spool {dir.File("spool")}", agent.Log, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(dir.File("spool"), "spool.log")).Length > 0, "what was sampled waits in the disk spool");
    }

    [Fact]
    public async Task A_lost_broker_is_logged_and_makes_healthz_degraded_and_the_reconnect_is_logged()
    {
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        using var proxy = new TcpProxy(nats.ClientPort(0));
        var lines = new ConcurrentQueue<string>();
        await using var service = new FleetService(new ServeOptions(proxy.Url, "http://127.0.0.1:0", dir.File("o.duckdb"), null)
        {
            RefreshInterval = TimeSpan.FromMilliseconds(250),
            Log = lines.Enqueue,
        });
        await service.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };
        Assert.Equal("ok", (await HealthAsync(http)).Status);

        proxy.Cut();
        await Ports.WaitUntilAsync(() => Task.FromResult(lines.Any(l => l.StartsWith("NATS: disconnected", StringComparison.Ordinal))), TimeSpan.FromSeconds(20), "a disconnect line");
        var down = await HealthAsync(http);
        Assert.Equal(("degraded", 503), (down.Status, down.Code));
        Assert.Contains("NATS disconnected", down.Reasons);

        proxy.Restore();
        await Ports.WaitUntilAsync(() => Task.FromResult(lines.Any(l => l.StartsWith("NATS: reconnected", StringComparison.Ordinal))), TimeSpan.FromSeconds(30), "a reconnect line\n" + string.Join("\n", lines));
        await Ports.WaitUntilAsync(async () => (await HealthAsync(http)).Status == "ok", TimeSpan.FromSeconds(20), "healthz ok again");
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.True(doc.RootElement.GetProperty("nats_disconnects").GetInt64() >= 1);
        Assert.True(doc.RootElement.GetProperty("nats_reconnects").GetInt64() >= 1);
        log.WriteLine(string.Join("\n", lines));
    }

    [Fact]
    public async Task Healthz_says_degraded_while_the_frames_consumer_lags_and_ok_once_it_has_caught_up()
    {
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        using var gate = new ManualResetEventSlim(false);
        await using var service = new FleetService(new ServeOptions(nats.Url, "http://127.0.0.1:0", dir.File("l.duckdb"), null)
        {
            RefreshInterval = TimeSpan.FromMilliseconds(200),
            LagLimit = 5,
            LagAge = TimeSpan.FromMinutes(5),
            FetchBatch = 4,
        })
        {
            // the store "hangs" after the first commit: the consumer falls behind while messages keep arriving
            FramesCommitted = _ => gate.Wait(TimeSpan.FromSeconds(60)),
        };
        await service.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };
        await using var publisher = await FleetConnection.ConnectAsync(nats.Url, "lag-test", false, CancellationToken.None);
        for (ulong i = 1; i <= 40; i++)
        {
            await TestBatches.PublishAsync(publisher, TestBatches.Batch("hl", "pl", i));
        }
        await Ports.WaitUntilAsync(async () => (await HealthAsync(http)).Status == "degraded", TimeSpan.FromSeconds(20), "healthz degraded");
        var lagging = await HealthAsync(http);
        Assert.Equal(200, lagging.Code); // a lagging consumer still works: not a 503
        Assert.Contains(lagging.Reasons, r => r.StartsWith($"consumer {FleetNames.FramesConsumer} lags:", StringComparison.Ordinal) && r.EndsWith("(limit 5)", StringComparison.Ordinal));

        gate.Set();
        await FleetRig.WaitForFramesAsync(service, "hl", 40, TimeSpan.FromSeconds(30));
        await Ports.WaitUntilAsync(async () => (await HealthAsync(http)).Status == "ok", TimeSpan.FromSeconds(20), "healthz ok after catching up");
    }

    internal static void AssertRetriedThenOneErrorLine(string output, int port)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Count(l => l.Contains($"NATS at nats://127.0.0.1:{port}: connect attempt", StringComparison.Ordinal)) >= 2, "a progress line per failed attempt");
        var errors = lines.Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        var error = Assert.Single(errors);
        Assert.Contains($"NATS at nats://127.0.0.1:{port} is unreachable", error, StringComparison.Ordinal);
        Assert.Equal(error, lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal));
    }

    internal static async Task<(string Status, int Code, string[] Reasons)> HealthAsync(HttpClient http)
    {
        using var r = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return (doc.RootElement.GetProperty("status").GetString()!, (int)r.StatusCode,
            doc.RootElement.GetProperty("degraded_reasons").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }
}
