using Xunit.Abstractions;

namespace DmaSlip.Simulation.Tests;

/// <summary>Stale-book protection (docs/SIMULATOR.md §4): storms that drop feed packets make the strategy pull and re-post its orders.</summary>
public sealed class StaleBookTests(ITestOutputHelper output)
{
    [Fact]
    public void Feed_gaps_make_storm_parents_pull_and_repost_and_that_is_what_costs()
    {
        var on = Simulator.Run(AcceptanceTests.SmallStorm, 7);
        var off = Simulator.Run(AcceptanceTests.SmallStorm with { Execution = AcceptanceTests.SmallStorm.Execution with { CancelOnGap = false } }, 7);
        SimulatedParent[] Storm(SimulationResult r) => r.Parents.Where(p => p.InStorm).ToArray();
        var sOn = Storm(on);
        var sOff = Storm(off);
        Assert.Equal(sOn.Select(p => p.Order.ParentId), sOff.Select(p => p.Order.ParentId));
        var childrenOn = sOn.Average(p => p.Children);
        var childrenOff = sOff.Average(p => p.Children);
        var upliftOn = sOn.Average(p => p.DeltaIsBps);
        var upliftOff = sOff.Average(p => p.DeltaIsBps);
        output.WriteLine($"storm parents {sOn.Length}: children {childrenOff:F1} -> {childrenOn:F1}, uplift {upliftOff:F3} -> {upliftOn:F3} bps");
        Assert.True(childrenOn > childrenOff, "pulled orders are re-posted as new children");
        Assert.True(upliftOn > 3 * Math.Max(upliftOff, 0.01), "pulling on every gap is what makes ring overflow expensive");
        // Outside storms nothing drops, so protection changes nothing there: same outcome, parent by parent.
        var calmOn = on.Parents.Where(p => !p.InStorm).ToDictionary(p => p.Order.ParentId, p => p.IsBps);
        Assert.All(off.Parents.Where(p => !p.InStorm), p => Assert.Equal(p.IsBps, calmOn[p.Order.ParentId]));
    }
}
