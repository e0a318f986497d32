using DmaSlip.Application.Drills;

namespace DmaSlip.Cli.Tests.Drills;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void Type_7_quantiles_match_hand_computation()
    {
        // Sorted 1..5: h = 4p. p=0.95 → h=3.8 → 4 + 0.8·(5−4) = 4.8; p=0.5 → 3; p=0.1 → h=0.4 → 1.4.
        double[] x = [1, 2, 3, 4, 5];
        Assert.Equal(4.8, PairedBootstrap.QuantileSorted(x, 0.95), 12);
        Assert.Equal(3.0, PairedBootstrap.QuantileSorted(x, 0.5), 12);
        Assert.Equal(1.4, PairedBootstrap.QuantileSorted(x, 0.1), 12);
        // Unsorted input, two values: h = 0.95 → 10 + 0.95·(20 − 10) = 19.5.
        Assert.Equal(19.5, PairedBootstrap.Quantile([20, 10], 0.95), 12);
    }

    [Fact]
    public void A_constant_paired_shift_gives_a_degenerate_interval_at_the_shift()
    {
        // q95(b − 5) = q95(b) − 5 on every resample, so every replicate is exactly −5.
        var rng = new Random(3);
        var b = Enumerable.Range(0, 200).Select(_ => rng.NextDouble() * 100).ToArray();
        var a = b.Select(v => v - 5).ToArray();
        var ci = PairedBootstrap.QuantileDifference(a, b, 0.95, 500, seed: 1);
        Assert.Equal(-5, ci.Estimate, 9);
        Assert.Equal(-5, ci.Lower, 9);
        Assert.Equal(-5, ci.Upper, 9);
        Assert.True(ci.ExcludesZero);
    }

    [Fact]
    public void Identical_arms_give_an_interval_of_zero_that_does_not_exclude_zero()
    {
        var rng = new Random(4);
        var b = Enumerable.Range(0, 100).Select(_ => rng.NextDouble()).ToArray();
        var ci = PairedBootstrap.QuantileDifference(b, b, 0.95, 200, seed: 2);
        Assert.Equal(0, ci.Lower);
        Assert.Equal(0, ci.Upper);
        Assert.False(ci.ExcludesZero);
    }

    [Fact]
    public void Noise_without_an_effect_gives_an_interval_that_covers_zero()
    {
        // Two independent draws from one distribution: the 95 % CI of the q95 difference should contain 0.
        var rng = new Random(5);
        var a = Enumerable.Range(0, 400).Select(_ => rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 400).Select(_ => rng.NextDouble()).ToArray();
        var ci = PairedBootstrap.QuantileDifference(a, b, 0.95, 1000, seed: 3);
        Assert.True(ci.Lower < 0 && ci.Upper > 0, $"[{ci.Lower}, {ci.Upper}]");
        Assert.Equal(1000, ci.Replicates);
    }

    [Fact]
    public void Unpaired_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => PairedBootstrap.QuantileDifference([1, 2], [1], 0.95, 10, 1));
    }
}
