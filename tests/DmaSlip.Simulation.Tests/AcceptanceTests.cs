using DmaSlip.Simulation;
using Xunit.Abstractions;

namespace DmaSlip.Simulation.Tests;

public sealed class AcceptanceTests(ITestOutputHelper output)
{
    private static readonly Scenario Small = Scenarios.Storm with { Minutes = 30 };

    [Fact]
    public void Storm_uplift_is_positive_and_concentrated_in_storm_windows()
    {
        var r = Simulator.Run(Small, 7);
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        var outside = r.Parents.Where(p => !p.InStorm).ToArray();
        var inMean = storm.Average(p => p.DeltaIsBps);
        var outMean = outside.Average(p => p.DeltaIsBps);
        output.WriteLine($"parents {r.Parents.Count} in storm {storm.Length} mean delta {inMean:F3} bps; outside {outside.Length} mean {outMean:F4} bps");
        output.WriteLine($"mean IS {r.Parents.Average(p => p.IsBps):F2} bps, calm {r.Parents.Average(p => p.CalmIsBps):F2}; send delay in storm {storm.Average(p => p.MeanSendDelayUs):F1} us");
        output.WriteLine($"children {r.Parents.Average(p => p.Children):F1} replaces {r.Parents.Average(p => p.Replaces):F1} passive ratio {r.Parents.Average(p => p.PassiveFillRatio):F2} exec {r.Parents.Average(p => (double)p.ExecutedQty / p.Order.Qty):F2}");
        Assert.True(storm.Length >= 20, $"too few parents in storm: {storm.Length}");
        Assert.True(inMean > 0, $"mean delta in storm {inMean}");
        Assert.True(inMean >= 3 * Math.Max(outMean, 0), $"in {inMean} vs outside {outMean}");
    }
}
