using DmaSlip.Simulation.Execution;
using Xunit.Abstractions;

namespace DmaSlip.Simulation.Tests;

/// <summary>The self-impact model of docs/SIMULATOR.md ("Self-impact"): hand-computed cases, then its effect on a run.</summary>
public sealed class SelfImpactTests(ITestOutputHelper output)
{
    [Fact]
    public void Taken_depth_refills_with_the_books_resilience_and_forgives_levels_the_touch_moved_past()
    {
        // 1 000 shares taken, τ = 2 s: after 2 s e^-1 of them are still missing.
        Assert.Equal(1000 * Math.Exp(-1), SelfImpact.Remaining(1000, 2_000_000_000, 2, 0, 500), 9);
        // Nothing elapsed, the far touch moved 1 tick: one average level (500) left the book for everyone.
        Assert.Equal(500, SelfImpact.Remaining(1000, 0, 2, 1, 500), 9);
        Assert.Equal(0, SelfImpact.Remaining(1000, 0, 2, 3, 500), 9);
        // τ = 0: the book refills at once.
        Assert.Equal(0, SelfImpact.Remaining(1000, 0, 0, 0, 500), 9);
    }

    [Fact]
    public void Free_liquidity_starts_behind_what_we_took()
    {
        // A buy walks the asks upward (side +1): far touch 100 holds 300, levels behind it hold 500 each.
        Assert.Equal((100, 300L), SelfImpact.FreeStart(0, 100, 300, 500, +1));
        Assert.Equal((100, 100L), SelfImpact.FreeStart(200, 100, 300, 500, +1));
        Assert.Equal((101, 500L), SelfImpact.FreeStart(300, 100, 300, 500, +1));
        Assert.Equal((102, 300L), SelfImpact.FreeStart(1_000, 100, 300, 500, +1)); // 300 + 500 gone, 200 of the third level
        // A sell walks the bids downward.
        Assert.Equal((99, 450L), SelfImpact.FreeStart(350, 100, 300, 500, -1));
    }

    [Fact]
    public void Panic_bursts_pay_for_the_depth_they_take_and_bounded_slices_pay_less()
    {
        var sc = Scenarios.RecurringStorm with { Minutes = 12, Execution = Scenarios.RecurringStorm.Execution with { Parents = 200 } };
        double Impact(IPolicyProvider policy, double tau) =>
            Simulator.Run(sc with { Execution = sc.Execution with { BookResilienceSeconds = tau } }, 3, new SimulationOptions { Policy = policy })
                .Parents.Average(p => p.ImpactBps);
        var panic0 = Impact(FixedPolicyProvider.Panic, 0);
        var panic2 = Impact(FixedPolicyProvider.Panic, 2);
        var bounded0 = Impact(FixedPolicyProvider.Bounded, 0);
        var bounded2 = Impact(FixedPolicyProvider.Bounded, 2);
        output.WriteLine($"mean impact bps: panic {panic0:F4} -> {panic2:F4}, bounded {bounded0:F4} -> {bounded2:F4}");
        Assert.True(panic2 > panic0, "taking depth must cost the panic bursts");
        Assert.True(panic2 - panic0 > bounded2 - bounded0, "a burst pays more for its own footprint than slices a decision apart");
    }

    [Fact]
    public void Permanent_impact_shifts_prices_by_kappa_ticks_per_level_taken()
    {
        // A buy of 300 shares where a level holds 200 on average, κ = 1: 1.5 ticks up; then a sell of 100: back 0.5.
        Assert.Equal(1.5, SelfImpact.Shift(0, +1, 300, 200, 1), 12);
        Assert.Equal(1.0, SelfImpact.Shift(1.5, -1, 100, 200, 1), 12);
        // κ = 0.5 halves it; κ = 0 (the exogenous tape) and an empty fill leave it alone.
        Assert.Equal(-0.75, SelfImpact.Shift(0, -1, 300, 200, 0.5), 12);
        Assert.Equal(2.0, SelfImpact.Shift(2.0, +1, 300, 200, 0), 12);
        Assert.Equal(2.0, SelfImpact.Shift(2.0, +1, 0, 200, 1), 12);
    }

    [Fact]
    public void Permanent_impact_makes_the_same_parents_dearer_and_panic_dearer_than_bounded()
    {
        var sc = Scenarios.RecurringStorm with { Minutes = 12, Execution = Scenarios.RecurringStorm.Execution with { Parents = 200 } };
        double MeanIs(IPolicyProvider policy, double kappa) =>
            Simulator.Run(sc with { Execution = sc.Execution with { PermanentImpactTicksPerLevel = kappa } }, 3, new SimulationOptions { Policy = policy })
                .Parents.Average(p => p.IsBps);
        var panic0 = MeanIs(FixedPolicyProvider.Panic, 0);
        var panic1 = MeanIs(FixedPolicyProvider.Panic, 1);
        var bounded0 = MeanIs(FixedPolicyProvider.Bounded, 0);
        var bounded1 = MeanIs(FixedPolicyProvider.Bounded, 1);
        output.WriteLine($"mean IS bps: panic {panic0:F4} -> {panic1:F4}, bounded {bounded0:F4} -> {bounded1:F4}");
        Assert.True(panic1 > panic0, "our own fills must move the prices we pay afterwards");
        Assert.True(panic1 - panic0 > bounded1 - bounded0, "crossing more (panic) must pay more for the footprint");
    }

    [Fact]
    public void The_permanent_impact_setting_is_validated_by_name()
    {
        var bad = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("base: storm\nexecution:\n  permanent_impact_ticks_per_level: -1\n", "yaml"));
        Assert.Contains(bad.Errors, e => e.Contains("permanent_impact_ticks_per_level must be in [0, 10]", StringComparison.Ordinal));
        var ok = ScenarioFile.Parse("base: storm\nexecution:\n  permanent_impact_ticks_per_level: 1\n", "yaml");
        Assert.Equal(1, ok.Execution.PermanentImpactTicksPerLevel);
    }
}
