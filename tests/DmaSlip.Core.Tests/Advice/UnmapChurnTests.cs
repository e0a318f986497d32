using DmaSlip.Core.Advice;

namespace DmaSlip.Core.Tests.Advice;

public sealed class UnmapChurnTests
{
    [Fact]
    public void A_storm_host_churns_from_one_and_a_half_times_the_storm_free_median_unmap_rate()
    {
        // Storm-free hosts a2 (1000 unmaps/s) and b1 (0): median 500, threshold 750. a1 (5000) churns; b1 is passthrough.
        Assert.Equal(["a1"], UnmapChurn.Hosts(AdviceScenario.Inputs().Hosts).Select(h => h.Host));
        var slower = AdviceScenario.Inputs().Hosts.Select(h => h.Host == "a1" ? h with { UnmapRate = 749 } : h).ToArray();
        Assert.Empty(UnmapChurn.Hosts(slower));
        Assert.Single(UnmapChurn.Hosts([.. slower.Select(h => h.Host == "a1" ? h with { UnmapRate = 750 } : h)]));
    }

    [Fact]
    public void Without_a_storm_free_host_the_absolute_threshold_applies()
    {
        var onlyA1 = AdviceScenario.Inputs().Hosts.Where(h => h.Host == "a1").ToArray();
        Assert.Single(UnmapChurn.Hosts(onlyA1));
        Assert.Empty(UnmapChurn.Hosts([onlyA1[0] with { UnmapRate = UnmapChurn.AbsoluteUnmapsPerSecond - 1 }]));
    }
}
