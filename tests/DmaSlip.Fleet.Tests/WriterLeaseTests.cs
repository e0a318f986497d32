using System.Text.Json;
using DmaSlip.Fleet.Resilience;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Storage;
using DmaSlip.Testing;
using Xunit.Abstractions;

namespace DmaSlip.Fleet.Tests;

/// <summary>
/// One active writer per stream: a second <c>serve</c> with another database is a hot standby that takes nothing
/// until the active one dies, then takes over with no frame lost or stored twice.
/// </summary>
[Collection("fleet-integration")]
public sealed class WriterLeaseTests(ITestOutputHelper log)
{
    [Fact]
    public async Task The_lease_goes_to_one_holder_is_kept_by_renewal_expires_after_the_ttl_and_is_lost_by_the_late_holder()
    {
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        await using var ca = await FleetConnection.ConnectAsync(nats.Url, "lease-a", false, CancellationToken.None);
        await using var cb = await FleetConnection.ConnectAsync(nats.Url, "lease-b", false, CancellationToken.None);
        var ttl = TimeSpan.FromSeconds(2);
        var a = await WriterLease.OpenAsync(ca.KeyValue, 1, ttl, Holder("a", "m1", "/db/a"), TimeProvider.System, CancellationToken.None);
        var b = await WriterLease.OpenAsync(cb.KeyValue, 1, ttl, Holder("b", "m2", "/db/b"), TimeProvider.System, CancellationToken.None);

        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
        Assert.True(a.Held);
        Assert.False(await b.TryAcquireAsync(CancellationToken.None));
        Assert.Equal("a", b.Holder!.Instance);
        // renewing every TTL/3 keeps it for longer than a TTL
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(ttl / 3);
            Assert.True(await a.RenewAsync(CancellationToken.None));
            Assert.False(await b.TryAcquireAsync(CancellationToken.None));
        }
        // a stops renewing (hung): its own fence closes before the entry expires, then b gets it. The margin: Task.Delay
        // runs on the coarse tick clock and can end a few ms before the fence's Stopwatch interval has passed.
        await Task.Delay((ttl * WriterLease.FenceFraction) + TimeSpan.FromMilliseconds(50));
        Assert.False(a.Held);
        await Ports.WaitUntilAsync(async () => await b.TryAcquireAsync(CancellationToken.None), TimeSpan.FromSeconds(10), "b to take the expired lease");
        Assert.True(b.Held);
        Assert.False(await a.RenewAsync(CancellationToken.None)); // the late renewal is refused, not a second holder
        Assert.False(await a.TryAcquireAsync(CancellationToken.None));

        // a graceful stop hands over at once, without waiting for the TTL
        await b.ReleaseAsync(CancellationToken.None);
        Assert.True(await a.TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_restart_on_the_same_machine_and_database_takes_its_own_stale_lease_at_once()
    {
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        await using var c = await FleetConnection.ConnectAsync(nats.Url, "lease-r", false, CancellationToken.None);
        var old = await WriterLease.OpenAsync(c.KeyValue, 1, TimeSpan.FromSeconds(30), Holder("run1", "m1", "/db/x"), TimeProvider.System, CancellationToken.None);
        Assert.True(await old.TryAcquireAsync(CancellationToken.None));
        var other = await WriterLease.OpenAsync(c.KeyValue, 1, TimeSpan.FromSeconds(30), Holder("run2", "m1", "/db/y"), TimeProvider.System, CancellationToken.None);
        Assert.False(await other.TryAcquireAsync(CancellationToken.None)); // another database: a different writer, wait
        var restarted = await WriterLease.OpenAsync(c.KeyValue, 1, TimeSpan.FromSeconds(30), Holder("run3", "m1", "/db/x"), TimeProvider.System, CancellationToken.None);
        Assert.True(await restarted.TryAcquireAsync(CancellationToken.None));
        Assert.False(await old.RenewAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_second_serve_is_a_standby_that_takes_nothing_and_takes_over_when_the_active_is_killed_with_no_frame_lost_or_doubled()
    {
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        var frames = FrameFiles.Write(dir.Path, "h7", windows: 300, stormFrom: 1000);
        var (portA, portB) = (Ports.Free(), Ports.Free());
        using var httpA = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portA}"), Timeout = TimeSpan.FromSeconds(3) };
        using var httpB = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portB}"), Timeout = TimeSpan.FromSeconds(3) };
        using var a = StartServe(nats.Url, portA, dir.File("a.duckdb"));
        await WaitRoleAsync(httpA, "active", a);
        using var b = StartServe(nats.Url, portB, dir.File("b.duckdb"));
        await WaitRoleAsync(httpB, "standby", b);

        var agent = FleetRig.RunAgentAsync(nats.Url, dir.Path, "h7", "poolL", speed: 10);
        await Ports.WaitUntilAsync(async () => await Health(httpA, "frames_stored") > frames.Count / 3, TimeSpan.FromSeconds(30), "frames flowing into A\n" + a.Log);
        Assert.Equal(0, await Health(httpB, "frames_stored")); // the standby silently took nothing
        a.Kill9();
        log.WriteLine("A killed with SIGKILL");
        await WaitRoleAsync(httpB, "active", b);

        var report = await agent;
        Assert.Equal(0, report.Unsent);
        await Ports.WaitUntilAsync(async () => await Health(httpB, "consumer_lag") == 0, TimeSpan.FromSeconds(60), "B to catch up\n" + b.Log);
        Assert.Equal(0, b.Terminate(TimeSpan.FromSeconds(20)));
        log.WriteLine(a.Log + "\n" + b.Log);
        Assert.Contains("standby", b.Log, StringComparison.Ordinal);
        Assert.Contains("lease: active writer", b.Log, StringComparison.Ordinal);

        using var storeA = DmaSlipStore.Open(dir.File("a.duckdb"));
        using var storeB = DmaSlipStore.Open(dir.File("b.duckdb"));
        var inA = FleetRig.StoredFrames(storeA, "h7");
        var inB = FleetRig.StoredFrames(storeB, "h7");
        Assert.NotEmpty(inA);
        Assert.NotEmpty(inB);
        var union = inA.Concat(inB).DistinctBy(Key).OrderBy(f => f.WindowStartNs).ThenBy(f => f.Queue).ToList();
        Assert.Equal(frames, union); // nothing lost
        var overlap = inA.Select(Key).Intersect(inB.Select(Key)).Count();
        log.WriteLine($"A {inA.Count}, B {inB.Count}, in both {overlap} (committed by A, killed before its ack)");
        // In both only what A committed but had not acknowledged when killed: at most one fetch.
        Assert.True(overlap <= 2 * 1000, $"{overlap} frames in both stores");
    }

    private static (string, int, long) Key(Core.Domain.HostFrame f) => (f.Device, f.Queue, f.WindowStartNs);

    private static LeaseHolder Holder(string instance, string machine, string db) => new(instance, machine, 1, db, 0);

    private static ChildProcess StartServe(string natsUrl, int port, string db) => FleetRig.StartServe(natsUrl, port, db, "--lease-ttl", "3");

    private static Task WaitRoleAsync(HttpClient http, string role, ChildProcess serve) =>
        Ports.WaitUntilAsync(async () =>
        {
            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
                return doc.RootElement.GetProperty("role").GetString() == role;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"serve to be {role}\n" + serve.Log);

    private static Task<long> Health(HttpClient http, string field) => FleetRig.HealthNumberAsync(http, field);
}
