using DmaSlip.Application.Drills;

namespace DmaSlip.Cli.Tests.Drills;

public sealed class CalmFitTests
{
    [Fact]
    public void Recovers_an_exact_linear_expectation()
    {
        // IS = 0.5 + 0.8·early + 0.3·late − 1.5·high + 1.0·half-spread, no noise: least squares returns the coefficients.
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 80).Select(i =>
        {
            double[] x = [1, rng.NextDouble() * 20 - 10, rng.NextDouble() * 20 - 10, i % 2, 0.5 + rng.NextDouble() * 3];
            return (x, 0.5 + (0.8 * x[1]) + (0.3 * x[2]) - (1.5 * x[3]) + (1.0 * x[4]));
        }).ToArray();
        var k = SimulatedRun.CalmFit(rows)!;
        double[] want = [0.5, 0.8, 0.3, -1.5, 1.0];
        for (var j = 0; j < want.Length; j++)
        {
            Assert.Equal(want[j], k[j], 9);
        }
    }

    [Fact]
    public void Declines_with_fewer_than_ten_parents_per_coefficient()
    {
        var rows = Enumerable.Range(0, 49).Select(i => (new double[] { 1, i, -i, 0, 1 }, (double)i)).ToArray();
        Assert.Null(SimulatedRun.CalmFit(rows));
        Assert.Null(SimulatedRun.CalmFit([]));
    }
}
