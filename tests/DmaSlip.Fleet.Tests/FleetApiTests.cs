using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DmaSlip.Fleet.Routing;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

/// <summary>The service's HTTP API and the KV routing table against a real single-node nats-server.</summary>
[Collection("fleet-integration")]
public sealed class FleetApiTests
{
    private const string Token = "s3cret-token-for-tests-0123456789";

    [Fact]
    public async Task Route_writes_need_the_token_reject_malformed_input_with_a_reason_and_pins_show_up_for_urgent_flow()
    {
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        File.WriteAllText(dir.File("token"), Token + "\n");
        await using var service = await FleetRig.StartServiceAsync(nats.Url, dir.File("api.duckdb"), dir.File("token"));
        Assert.Equal(1, service.Replicas);
        using var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };

        var pin = """{"pool":"poolX","action":"pin","reason":"validated on 2026-11-25 after NIC firmware upgrade"}""";
        using (var r = await Post(http, pin, token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Contains("Bearer", r.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("Authorization", await Error(r), StringComparison.Ordinal);
        }
        using (var r = await Post(http, pin, token: "wrong-token-wrong-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("invalid token", await Error(r));
        }
        (string Body, string Reason)[] malformed =
        [
            ("{not json", "not valid JSON"),
            ("[1,2]", "JSON object"),
            ("""{"pool":"poolX","action":"pin"}""", "missing field 'reason'"),
            ("""{"pool":"poolX","action":"pin","reason":"  "}""", "reason must not be empty"),
            ("""{"pool":"pool.X","action":"pin","reason":"r"}""", "not a valid pool name"),
            ("""{"pool":"poolX","action":"drain","reason":"r"}""", "not 'pin' or 'unpin'"),
            ("""{"pool":"poolX","action":"pin","reason":7}""", "must be a string"),
            ("""{"pool":"poolX","action":"pin","reason":"r","force":true}""", "unknown field 'force'"),
        ];
        foreach (var (body, reason) in malformed)
        {
            using var r = await Post(http, body, Token);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains(reason, await Error(r), StringComparison.Ordinal);
        }
        using (var r = await http.GetAsync(new Uri("/api/routes?urgency=extreme", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        }

        // A pin of a pool no host has reported from (a typo, a pool not deployed yet) is refused with the reason.
        using (var r = await Post(http, pin, Token))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
            Assert.StartsWith("pool 'poolX' is unknown", await Error(r), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(await service.Routes!.AllAsync(CancellationToken.None), p => p.Pool == "poolX");
        await using (var publisher = await FleetConnection.ConnectAsync(nats.Url, "api-test", false, CancellationToken.None))
        {
            await TestBatches.PublishAsync(publisher, TestBatches.Batch("hx", "poolX", 1, Core.Domain.Regime.FlushStorm)); // in a storm: not measured low-pressure
        }
        await FleetRig.WaitForFramesAsync(service, "hx", 1, TimeSpan.FromSeconds(20));

        Assert.DoesNotContain("poolX", await UrgentPools(http));
        using (var r = await Post(http, pin, Token))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.Contains("poolX", await UrgentPools(http));
        using (var r = await Post(http, """{"pool":"poolX","action":"unpin","reason":"firmware rolled back"}""", Token))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.DoesNotContain("poolX", await UrgentPools(http));
        lock (service.Sink!.Gate)
        {
            var changes = service.Sink.Store.Sql("SELECT state, reason FROM routes WHERE pool = 'poolX' ORDER BY ts_ns").Rows;
            Assert.Equal(["pinned_low_pressure", "not_validated"], changes.Select(c => (string)c[0]!));
            Assert.StartsWith("unpin: firmware", (string)changes[1][1]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Concurrent_route_updates_through_compare_and_set_lose_no_write()
    {
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        var connections = new List<FleetConnection>();
        try
        {
            var tables = new List<RouteTable>();
            for (var i = 0; i < 6; i++)
            {
                var c = await FleetConnection.ConnectAsync(nats.Url, "cas-" + i, true, CancellationToken.None);
                connections.Add(c);
                tables.Add(await RouteTable.OpenAsync(c.KeyValue, 1, CancellationToken.None));
            }
            // Six writers each append their mark 5 times to the same key; a blind put would lose some. The first
            // change of every writer waits at a barrier until all six have read the key, so they certainly race
            // (on a fast machine free-running writers could otherwise happen to take turns).
            using var start = new Barrier(tables.Count);
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, 32), io); // six pool threads will block at the barrier
            var writers = tables.Select((t, i) => Task.Factory.StartNew(async () =>
            {
                var conflicts = 0;
                for (var k = 0; k < 5; k++)
                {
                    var first = k == 0;
                    var (_, changed, c) = await t.UpdateAsync("poolY", cur =>
                    {
                        if (first)
                        {
                            first = false;
                            Assert.True(start.SignalAndWait(TimeSpan.FromSeconds(20)), "all six writers reach the barrier");
                        }
                        return (cur ?? new PoolRoute("poolY", false, "", false, "", null, 0)) with { PinReason = (cur?.PinReason ?? "") + $"w{i}k{k};" };
                    }, CancellationToken.None);
                    Assert.True(changed);
                    conflicts += c;
                }
                return conflicts;
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
            var conflicts = (await Task.WhenAll(writers)).Sum();
            var (route, _) = await tables[0].GetAsync("poolY", CancellationToken.None);
            var marks = route!.PinReason!.Split(';', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(30, marks.Length);
            Assert.Equal(30, marks.Distinct().Count());
            Assert.True(conflicts > 0, "the writers did race (otherwise the test proves nothing)");
        }
        finally
        {
            foreach (var c in connections)
            {
                await c.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_resend_of_a_message_the_stream_already_holds_counts_as_sent_and_is_not_stored_twice()
    {
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        await using var c = await FleetConnection.ConnectAsync(nats.Url, "dup", true, CancellationToken.None);
        await c.EnsureStreamAsync(1, TimeSpan.FromHours(1), CancellationToken.None);
        var entry = new DmaSlip.Fleet.Spool.SpoolEntry(FleetNames.FramesSubject("p", "h"), "h/b/f1", [1, 2, 3]);
        // First attempt stored, its ack "lost": the broker has the message, the spool still holds it.
        await c.JetStream.PublishAsync(entry.Subject, entry.Payload, opts: new NATS.Client.JetStream.NatsJSPubOpts { MsgId = entry.MessageId });
        using var spool = new DmaSlip.Fleet.Spool.MessageSpool(new DmaSlip.Fleet.Spool.SpoolOptions(null));
        await spool.AddAsync(entry, CancellationToken.None);
        var publisher = new DmaSlip.Fleet.Agent.SpoolPublisher(c.JetStream, spool, TimeSpan.FromSeconds(5));
        using var stop = new CancellationTokenSource();
        var run = publisher.RunAsync(stop.Token);
        await spool.DrainAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        await stop.CancelAsync();
        await run;
        Assert.Equal(1, publisher.Published);
        Assert.Equal(1, publisher.Duplicates);
        var stream = await c.JetStream.GetStreamAsync(FleetNames.Stream);
        Assert.Equal(1, stream.Info.State.Messages);
    }

    private static Task<HttpResponseMessage> Post(HttpClient http, string body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/routes", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http.SendAsync(request);
    }

    private static async Task<string> Error(HttpResponseMessage r)
    {
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").GetString()!;
    }

    private static async Task<string[]> UrgentPools(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/routes?urgency=high", UriKind.Relative)));
        return doc.RootElement.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("pool").GetString()!).ToArray();
    }
}
