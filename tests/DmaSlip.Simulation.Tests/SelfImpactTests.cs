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
        var (panic0, panic2, bounded0, bounded2) = PanicAndBounded(e => e with { BookResilienceSeconds = 0 }, e => e with { BookResilienceSeconds = 2 }, p => p.ImpactBps);
        output.WriteLine($"mean impact bps: panic {panic0:F4} -> {panic2:F4}, bounded {bounded0:F4} -> {bounded2:F4}");
        Assert.True(panic2 > panic0, "taking depth must cost the panic bursts");
        Assert.True(panic2 - panic0 > bounded2 - bounded0, "a burst pays more for its own footprint than slices a decision apart");
    }

    /// <summary>Mean of <paramref name="metric"/> over a 12-minute recurring storm (200 parents, seed 3), panic and bounded, without and with a setting.</summary>
    private static (double Panic0, double Panic1, double Bounded0, double Bounded1) PanicAndBounded(
        Func<ExecutionSpec, ExecutionSpec> without, Func<ExecutionSpec, ExecutionSpec> with, Func<SimulatedParent, double> metric)
    {
        var sc = Scenarios.RecurringStorm with { Minutes = 12, Execution = Scenarios.RecurringStorm.Execution with { Parents = 200 } };
        double Mean(IPolicyProvider policy, Func<ExecutionSpec, ExecutionSpec> spec) =>
            Simulator.Run(sc with { Execution = spec(sc.Execution) }, 3, new SimulationOptions { Policy = policy }).Parents.Average(metric);
        return (Mean(FixedPolicyProvider.Panic, without), Mean(FixedPolicyProvider.Panic, with),
            Mean(FixedPolicyProvider.Bounded, without), Mean(FixedPolicyProvider.Bounded, with));
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
        var (panic0, panic1, bounded0, bounded1) = PanicAndBounded(
            e => e with { PermanentImpactTicksPerLevel = 0 }, e => e with { PermanentImpactTicksPerLevel = 1 }, p => p.IsBps);
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
