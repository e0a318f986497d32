using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Fleet.Wire;
using DmaSlip.Service;
using DmaSlip.Testing;
using NATS.Client.JetStream;

namespace DmaSlip.Fleet.Tests;

/// <summary>What the service does with bad values and bad tokens arriving over the wire (not only in unit tests).</summary>
[Collection("fleet-integration")]
public sealed class ServiceInputTests
{
    [Fact]
    public async Task A_non_finite_frame_is_quarantined_with_its_reason_while_a_host_without_a_flush_source_is_null_with_the_reason_in_api_regimes()
    {
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        await using var service = await FleetRig.StartServiceAsync(nats.Url, dir.File("q.duckdb"));
        using var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };
        await using var publisher = await FleetConnection.ConnectAsync(nats.Url, "bad-values", false, CancellationToken.None);

        // a host with no flush source: DFI null with its reason; a non-finite DJS has no number to show (reason unknown)
        var signals = new HostSignals(SignalValue.Missing(SignalGap.NoSource), SignalValue.Of(double.PositiveInfinity), SignalValue.Of(0.3), 0, 0);
        await TestBatches.PublishAsync(publisher, TestBatches.Batch("hgood", "pq", 1) with { Signals = signals });
        var bad = TestBatches.Batch("hbad", "pq", 1);
        bad = bad with { Frames = [bad.Frames[0] with { FlushRate = double.NaN }] };
        var ack = await publisher.JetStream.PublishAsync(FleetNames.FramesSubject("pq", "hbad"), FleetCodec.Encode(bad), opts: new NatsJSPubOpts { MsgId = bad.MessageId });
        ack.EnsureSuccess();

        await FleetRig.WaitForFramesAsync(service, "hgood", 1, TimeSpan.FromSeconds(20));
        await Ports.WaitUntilAsync(() => Task.FromResult(service.Consumer!.Quarantined == 1), TimeSpan.FromSeconds(20), "the bad batch quarantined");
        lock (service.Sink!.Gate)
        {
            var q = service.Sink.Store.Sql("SELECT path, \"offset\", reason FROM quarantine").Rows;
            var row = Assert.Single(q);
            Assert.Equal(FleetNames.FramesSubject("pq", "hbad"), row[0]);
            Assert.Equal((long)ack.Seq, Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("NaN or infinite", (string)row[2]!, StringComparison.Ordinal);
            Assert.Equal(0, FleetRig.FrameCount(service.Sink.Store, "hbad"));
        }

        using var regimes = await http.GetAsync(new Uri("/api/regimes", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, regimes.StatusCode);
        using var doc = JsonDocument.Parse(await regimes.Content.ReadAsStringAsync());
        var host = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("hgood", host.GetProperty("host").GetString());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("dfi").ValueKind);
        Assert.Equal("no flush source", host.GetProperty("dfi_null_reason").GetString());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("djs").ValueKind);
        Assert.Equal("not computed (reason not sent)", host.GetProperty("djs_null_reason").GetString());
        Assert.Equal(0.3, host.GetProperty("pso").GetDouble());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("pso_null_reason").ValueKind);
    }

    [Fact]
    public async Task Wrong_tokens_over_http_are_refused_then_limited_with_429_and_logged_without_the_token()
    {
        const string Wrong = "not-the-token-but-long-enough";
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        File.WriteAllText(dir.File("token"), "the-right-token-0123456789\n");
        var lines = new ConcurrentQueue<string>();
        await using var service = new FleetService(new ServeOptions(nats.Url, "http://127.0.0.1:0", dir.File("t.duckdb"), dir.File("token")) { Log = lines.Enqueue });
        await service.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/routes", UriKind.Relative))
            {
                Content = new StringContent("""{"pool":"p","action":"pin","reason":"r"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Wrong);
            using var r = await http.SendAsync(request);
            codes.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(r.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
            }
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], codes);
        var refusals = lines.Where(l => l.StartsWith("refused POST /api/routes from 127.0.0.1: invalid token", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, refusals.Count);
        Assert.EndsWith("(5 failure(s) in the last minute)", refusals[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains(Wrong, StringComparison.Ordinal));
    }
}
