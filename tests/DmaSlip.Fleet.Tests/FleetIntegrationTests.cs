using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Storage;
using DmaSlip.Testing;
using NATS.Client.JetStream;
using Xunit.Abstractions;

namespace DmaSlip.Fleet.Tests;

/// <summary>
/// Fleet mode end to end against real nats-server processes (and a real prometheus), all on 127.0.0.1 and stopped
/// by the tests. One class, run sequentially, so the servers never compete with each other.
/// </summary>
[Collection("fleet-integration")]
public sealed class FleetIntegrationTests(ITestOutputHelper log)
{
    [Fact]
    public async Task A_replayed_host_is_stored_once_and_its_regime_is_queryable_in_prometheus_from_an_R3_cluster()
    {
        using var dir = new TempDir();
        using var cluster = new NatsCluster(3);
        await cluster.WaitReadyAsync(TimeSpan.FromSeconds(30));
        var frames = FrameFiles.Write(dir.Path, "h1", windows: 80, stormFrom: 40);
        await using var service = await FleetRig.StartServiceAsync(cluster.Url, dir.File("fleet.duckdb"));
        Assert.Equal(3, service.Replicas);

        var report = await FleetRig.RunAgentAsync(cluster.Url, dir.Path, "h1", "poolA", speed: 20);
        log.WriteLine(report.ToString());
        Assert.Equal(0, report.Unsent);
        await FleetRig.WaitForFramesAsync(service, "h1", frames.Count, TimeSpan.FromSeconds(30));

        lock (service.Sink!.Gate)
        {
            Assert.Equal(frames, FleetRig.StoredFrames(service.Sink.Store, "h1"));
            Assert.Equal(report.RegimeChanges, service.Sink.Store.Count("regime_transitions"));
        }
        Assert.True(report.RegimeChanges > 0, "the storm half of the replay must move the controller off MAP_STABLE");

        var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        log.WriteLine(metrics);
        var (lint, lintCode) = await Promtool(metrics);
        Assert.True(lintCode == 0, "promtool check metrics: " + lint);
        // deploy/prometheus and deploy/grafana name only metrics this scrape has.
        var scraped = metrics.Split('\n').Where(l => l.StartsWith("dmaslip_", StringComparison.Ordinal)).Select(l => l[..l.IndexOfAny(['{', ' '])]).ToHashSet(StringComparer.Ordinal);
        foreach (var file in new[] { Path.Combine("prometheus", "dmaslip-rules.yml"), Path.Combine("grafana", "dmaslip-fleet.json") })
        {
            foreach (var name in AlertRulesTests.MetricNames(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "deploy", file))))
            {
                Assert.True(scraped.Contains(name), $"{file} uses {name}, which /metrics does not export ({string.Join(", ", scraped)})");
            }
        }

        var target = new Uri(service.Addresses[0]).Authority;
        using var prometheus = new PrometheusServer(target);
        var expected = (double)(int)service.State.Hosts().Single(h => h.Host == "h1").Regime;
        IReadOnlyList<(Dictionary<string, string> Labels, double Value)> series = [];
        await Ports.WaitUntilAsync(async () => (series = await prometheus.QueryAsync("dmaslip_host_regime{host=\"h1\"}")).Count > 0,
            TimeSpan.FromSeconds(30), "prometheus to scrape dmaslip_host_regime\n" + prometheus.Log);
        Assert.Equal("poolA", series[0].Labels["pool"]);
        Assert.Equal(expected, series[0].Value);
        Assert.NotEqual(0, expected);
    }

    [Fact]
    public async Task Killing_the_stream_leader_mid_stream_loses_and_duplicates_no_frame()
    {
        using var dir = new TempDir();
        using var cluster = new NatsCluster(3);
        await cluster.WaitReadyAsync(TimeSpan.FromSeconds(30));
        var frames = FrameFiles.Write(dir.Path, "h2", windows: 300, stormFrom: 1000);
        await using var service = await FleetRig.StartServiceAsync(cluster.Url, dir.File("fleet.duckdb"));

        var agent = FleetRig.RunAgentAsync(cluster.Url, dir.Path, "h2", "poolB", speed: 10);
        await Ports.WaitUntilAsync(() => Task.FromResult(FleetRig.FrameCount(service, "h2") > frames.Count / 5), TimeSpan.FromSeconds(20), "the stream to be flowing");
        var leader = await StreamLeaderAsync(cluster.Url);
        log.WriteLine($"killing stream leader {leader}");
        cluster.Kill9(cluster.IndexOf(leader));

        var report = await agent;
        log.WriteLine(report.ToString());
        Assert.Equal(0, report.Unsent);
        await FleetRig.WaitForFramesAsync(service, "h2", frames.Count, TimeSpan.FromSeconds(60));
        lock (service.Sink!.Gate)
        {
            Assert.Equal(frames, FleetRig.StoredFrames(service.Sink.Store, "h2"));
        }
        // The stream itself holds each batch once: retried publishes were absorbed by Nats-Msg-Id.
        Assert.Equal(300, await StreamCountAsync(cluster.Url, FleetNames.FramesSubject("poolB", "h2")));
        Assert.NotEqual(leader, await StreamLeaderAsync(cluster.Url));
    }

    private static async Task<string> StreamLeaderAsync(string url)
    {
        await using var c = await FleetConnection.ConnectAsync(url, "test-probe", true, CancellationToken.None);
        string leader = "";
        await Ports.WaitUntilAsync(async () =>
        {
            var s = await c.JetStream.GetStreamAsync(FleetNames.Stream);
            leader = s.Info.Cluster?.Leader ?? "";
            return leader.Length > 0;
        }, TimeSpan.FromSeconds(30), "a stream leader");
        return leader;
    }

    private static async Task<long> StreamCountAsync(string url, string subject)
    {
        await using var c = await FleetConnection.ConnectAsync(url, "test-probe", true, CancellationToken.None);
        long count = -1;
        await Ports.WaitUntilAsync(async () =>
        {
            var s = await c.JetStream.GetStreamAsync(FleetNames.Stream, new NATS.Client.JetStream.Models.StreamInfoRequest { SubjectsFilter = subject });
            count = s.Info.State.Subjects is { } subjects && subjects.TryGetValue(subject, out var n) ? n : 0;
            return true;
        }, TimeSpan.FromSeconds(30), "stream info");
        return count;
    }

    internal static async Task<(string Output, int ExitCode)> Promtool(string metrics)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        await p.StandardInput.WriteAsync(metrics);
        p.StandardInput.Close();
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (output, p.ExitCode);
    }
}
