using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Tests;

public sealed class PhysicsTests
{
    private static HostSetup Setup(string mode, double recycle = 0.98, bool misplaced = false, double rxPps = 100_000) =>
        Simulator.BuildHosts(new Scenario
        {
            Pools = [new PoolSpec { Name = "p", Hosts = 1, IommuMode = mode, PagePoolRecycle = recycle, NumaMisplaced = misplaced, RxPps = rxPps }],
        }, 3)[0];

    private static (QueueCounters Total, List<QueueStep> Steps, HostModel Model) Run(HostSetup s, int ms, HostPhysics? ph = null)
    {
        var m = new HostModel(s, ph ?? new HostPhysics(), 3, stormsOn: true);
        var steps = new List<QueueStep>();
        for (var i = 0; i < ms; i++)
        {
            m.Step(i);
            steps.AddRange(m.Steps.ToArray());
        }
        QueueCounters t = default;
        foreach (var c in m.Counters)
        {
            t.Maps += c.Maps;
            t.Unmaps += c.Unmaps;
            t.Invalidations += c.Invalidations;
            t.Flushes += c.Flushes;
            t.RxPackets += c.RxPackets;
        }
        return (t, steps, m);
    }

    [Fact]
    public void Strict_mode_submits_more_invalidations_than_lazy_for_the_same_churn()
    {
        var strict = Run(Setup("strict", recycle: 0.7), 5_000);
        var lazy = Run(Setup("lazy", recycle: 0.7), 5_000);
        var strictDescriptors = strict.Total.Invalidations + strict.Total.Flushes;
        var lazyDescriptors = lazy.Total.Invalidations + lazy.Total.Flushes;
        Assert.Equal(strict.Total.Unmaps, strict.Total.Invalidations); // one synchronous invalidation per unmap
        Assert.True(lazy.Total.Unmaps > 0.9 * strict.Total.Unmaps, "same churn in both modes");
        Assert.True(strictDescriptors > 50 * lazyDescriptors, $"strict {strictDescriptors} vs lazy {lazyDescriptors}");
        Assert.Equal(0, lazy.Total.Invalidations);
    }

    [Fact]
    public void Page_pool_recycling_lowers_the_map_rate()
    {
        var recycling = Run(Setup("lazy", recycle: 0.98), 3_000);
        var churning = Run(Setup("lazy", recycle: 0.2), 3_000);
        var rateRecycling = (double)recycling.Total.Maps / recycling.Total.RxPackets;
        var rateChurning = (double)churning.Total.Maps / churning.Total.RxPackets;
        Assert.True(rateRecycling < rateChurning / 5, $"maps per packet: recycling {rateRecycling:F3}, churning {rateChurning:F3}");
    }

    [Fact]
    public void Lazy_mode_flushes_at_least_every_ten_ms_while_entries_are_pending()
    {
        // Light churn: the 256-entry queues never fill, so only the timer flushes.
        var (_, steps, model) = Run(Setup("lazy", recycle: 0.999, rxPps: 20_000), 2_000);
        var q = model.Setup.Queues;
        var firstPendingMs = -1;
        for (var ms = 0; ms < steps.Count / q; ms++)
        {
            var pending = 0;
            var flushes = 0;
            for (var k = 0; k < q; k++)
            {
                pending += steps[ms * q + k].FlushQueuePending;
                flushes += steps[ms * q + k].Flushes;
            }
            if (flushes > 0)
            {
                firstPendingMs = pending > 0 ? ms : -1;
                continue;
            }
            if (pending > 0 && firstPendingMs < 0)
            {
                firstPendingMs = ms;
            }
            Assert.True(firstPendingMs < 0 || ms - firstPendingMs <= 10, $"entries pending since ms {firstPendingMs} without a flush at ms {ms}");
            if (pending == 0)
            {
                firstPendingMs = -1;
            }
        }
        Assert.Contains(steps, s => s.Flushes > 0);
    }

    [Fact]
    public void Napi_work_never_exceeds_the_budget()
    {
        var (_, steps, _) = Run(Setup("strict", recycle: 0.2, rxPps: 400_000), 3_000);
        Assert.Contains(steps, s => s.NapiFullPolls > 0);
        Assert.All(steps, s =>
        {
            Assert.InRange(s.LastPollWork, 0, 64);
            Assert.True(s.RxProcessed <= s.NapiPolls * 64, $"processed {s.RxProcessed} in {s.NapiPolls} polls");
        });
    }

    [Fact]
    public void Remote_numa_placement_raises_dma_completion_time()
    {
        var local = Run(Setup("lazy", recycle: 0.8), 2_000).Steps.Where(s => s.DmaCount > 0).Average(s => s.DmaLatencyNs);
        var remote = Run(Setup("lazy", recycle: 0.8, misplaced: true), 2_000).Steps.Where(s => s.DmaCount > 0).Average(s => s.DmaLatencyNs);
        Assert.True(remote > local + 100, $"local {local:F0} ns, remote {remote:F0} ns");
    }

    [Fact]
    public void Passthrough_has_no_translation_cost()
    {
        var (t, steps, _) = Run(Setup("passthrough", recycle: 0.2), 1_000);
        Assert.Equal(0, t.Maps + t.Invalidations + t.Flushes);
        Assert.All(steps, s => Assert.Equal(0, s.IotlbMisses));
    }

    [Fact]
    public void Invalidation_latency_fit_matches_the_published_sample()
    {
        // dmar_perf_latency on Sapphire Rapids: 286 of 409 waits in 0.1–1 µs, 123 in 1–10 µs.
        var ph = new HostPhysics();
        var mean = ph.InvalidationMedianNs * Math.Exp(ph.InvalidationSigma * ph.InvalidationSigma / 2);
        var f = LatencyBuckets.Fractions(mean, ph.InvalidationSigma);
        Assert.InRange(f[1], 0.6, 0.8);
        Assert.InRange(f[2], 0.2, 0.4);
        Assert.True(f[0] + f[3] + f[4] + f[5] + f[6] < 0.01);
    }

    [Fact]
    public void Queue_saturation_serialises_cpus_and_builds_ring_backlog()
    {
        var m = new HostModel(Setup("strict", recycle: 0.1, rxPps: 350_000), new HostPhysics(), 3, stormsOn: true);
        int saturated = 0, backlogged = 0;
        var spin = 0.0;
        for (var i = 0; i < 2_000; i++)
        {
            m.Step(i);
            saturated += m.Host.Saturated ? 1 : 0;
            backlogged += m.Steps[0].RingUsed > 0 ? 1 : 0;
            spin += m.Steps[0].SpinNs;
        }
        Assert.True(saturated > 200, $"saturated in {saturated} of 2000 ms");
        Assert.True(backlogged > 200, $"ring backlog in {backlogged} of 2000 ms");
        Assert.True(spin / 2_000 > 300_000, $"CPU 0 spins {spin / 2_000:F0} ns per ms");
    }
}
