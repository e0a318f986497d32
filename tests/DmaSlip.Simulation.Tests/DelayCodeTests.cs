using CsCheck;
using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Tests;

public sealed class DelayCodeTests
{
    [Fact]
    public void Delay_code_round_trips_within_three_percent()
    {
        Assert.Equal(143, DelayCode.Encode(1_000_000));
        Assert.Equal(1_001_888, DelayCode.Decode(143));
        Assert.Equal(0, DelayCode.Decode(DelayCode.Encode(100)));
        Gen.Double[600, 300_000_000].Sample(ns =>
        {
            var back = DelayCode.Decode(DelayCode.Encode(ns));
            Assert.InRange(back / ns, 0.97, 1.03);
        });
    }
}
