using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Tests;

/// <summary>The worked examples of docs/METRICS.md "DMA completion mixture" and "TX deferral".</summary>
public sealed class HostMechanismTests
{
    [Fact]
    public void A_step_with_a_fifth_of_its_cpu_spinning_splits_its_dmas_into_70_hits_10_misses_and_20_stalled()
    {
        var stalled = (int)Math.Round(100 * (200_000 / 1e6)); // spin 200 µs of the 1 ms step
        Assert.Equal((70, 10, 20), FrameEmitter.DmaMix(100, 10, stalled));
        // Stalled completions are taken first; misses fill what is left.
        Assert.Equal((0, 5, 95), FrameEmitter.DmaMix(100, 10, 95));
        Assert.Equal((0, 0, 100), FrameEmitter.DmaMix(100, 10, 150));
    }

    [Fact]
    public void A_sender_left_15_percent_of_the_cpu_holds_back_all_six_pending_sends()
    {
        // 700 µs of softirq work: share = ½·(1 − 0.7) = 0.15 → ⌊6·0.15⌋ = 0 sent, 6 deferred.
        Assert.Equal(6, HostModel.DeferredSends(6, 0, 700, 1_000));
        // An idle sender (no work left) gets half the CPU: 10 pending → 5 sent, 5 deferred.
        Assert.Equal(5, HostModel.DeferredSends(10, 0, 0, 1_000));
        // A CPU fully taken by spin and softirq sends nothing.
        Assert.Equal(4, HostModel.DeferredSends(4, 600_000, 500, 1_000));
    }
}
