using DmaSlip.Core.Advice;
using DmaSlip.Core.Attribution;

namespace DmaSlip.Core.Tests.Advice;

public sealed class PoolPricingTests
{
    [Fact]
    public void Pool_uplift_is_the_pressure_minus_calm_difference_times_the_pressure_share()
    {
        // Pool A: 2 of 8 parents under pressure at 30 bps, calm ones at 10 bps: (30 − 10) × 2/8 = 5 bps per parent.
        var parents = AdviceScenario.Inputs().Parents;
        Assert.Equal(5, PoolPricing.Uplift(parents)!.Value, 12);
        // q95 of {30, 30} − q95 of six 10s = 20, × 2/8 = 5.
        Assert.Equal(5, PoolPricing.TailExcess(parents)!.Value, 12);
    }

    [Fact]
    public void Model_estimates_replace_the_pressure_difference_when_present()
    {
        var parents = AdviceScenario.Inputs().Parents.Select(p => p with { CIommuBps = p.PressureBucket == PressureBucket.Storm ? 8 : 0 }).ToArray();
        Assert.Equal(2, PoolPricing.Uplift(parents)!.Value, 12); // (8 + 8) / 8
    }

    [Fact]
    public void Without_calm_or_pressure_parents_nothing_is_priced()
    {
        var parents = AdviceScenario.Inputs().Parents.Where(p => p.PressureBucket == PressureBucket.Calm).ToArray();
        Assert.Null(PoolPricing.Uplift(parents));
        Assert.Null(PoolPricing.TailExcess(parents));
    }
}
