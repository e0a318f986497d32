using DmaSlip.Simulation.Execution;
using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Tests;

/// <summary>docs/METRICS.md "Dropped inbound messages": the drop share per ms and the common-random-number loss draw.</summary>
public sealed class LossTests
{
    [Fact]
    public void The_drop_share_of_a_millisecond_is_rounded_up_in_255ths()
    {
        Assert.Equal(77, HostTimeline.DropCode(300, 1_000)); // ⌈76.5⌉
        Assert.Equal(0.30196, HostTimeline.DropCode(300, 1_000) / 255.0, 5);
        Assert.Equal(1, HostTimeline.DropCode(1, 1_000_000)); // anything dropped counts
        Assert.Equal(0, HostTimeline.DropCode(0, 1_000));
        Assert.Equal(255, HostTimeline.DropCode(10, 10));
    }

    [Fact]
    public void A_message_draw_depends_only_on_seed_host_and_key()
    {
        var seed = Loss.SeedOf(42);
        Assert.Equal(Loss.Uniform(seed, 3, 12_345), Loss.Uniform(seed, 3, 12_345));
        Assert.NotEqual(Loss.Uniform(seed, 3, 12_345), Loss.Uniform(seed, 3, 12_346));
        Assert.NotEqual(Loss.Uniform(seed, 3, 12_345), Loss.Uniform(seed, 4, 12_345));
        Assert.NotEqual(Loss.Uniform(seed, 3, 12_345), Loss.Uniform(Loss.SeedOf(43), 3, 12_345));
    }

    [Fact]
    public void Draws_are_uniform_so_the_lost_share_matches_the_drop_share()
    {
        var seed = Loss.SeedOf(7);
        const int n = 200_000;
        double sum = 0;
        var below = 0;
        for (var k = 0; k < n; k++)
        {
            var u = Loss.Uniform(seed, 1, (ulong)k);
            Assert.InRange(u, 0.0, 1.0 - double.Epsilon);
            sum += u;
            below += u < 0.30196 ? 1 : 0;
        }
        // Binomial/uniform standard errors at n = 200,000: 0.00065 for the mean, 0.001 for the share; bounds are ~5 SE.
        Assert.InRange(sum / n, 0.4965, 0.5035);
        Assert.InRange((double)below / n, 0.297, 0.307);
    }
}
