using DmaSlip.Core.Domain;
using DmaSlip.Models.Baseline;
using DmaSlip.Models.Features;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Models.Tests.Baseline;

/// <summary>The market-move control of the baseline: the TWAP of the mid, and the fitted weights.</summary>
public sealed class MarketMoveTests
{
    private const long S = 1_000_000_000L;

    private static Quote Q(long sec, double bid, double ask) => new(sec * S, "IBM", "X", bid, 100, ask, 100, sec * S, 0);

    [Fact]
    public void The_twap_of_the_mid_integrates_the_step_function_of_quote_times()
    {
        // Mid 100 from t=10 s, 102 from t=20 s, 101 from t=40 s.
        var m = new MarketContext([Q(10, 99.99, 100.01), Q(20, 101.99, 102.01), Q(40, 100.99, 101.01)], []);
        // [10, 30]: 10 s at 100 + 10 s at 102 → 101.
        Assert.Equal(101, m.MidTwap(10 * S, 30 * S), 9);
        // [15, 50]: 5 s at 100 + 20 s at 102 + 10 s at 101 → (500 + 2040 + 1010)/35 = 101.428571.
        Assert.Equal(3550.0 / 35, m.MidTwap(15 * S, 50 * S), 9);
        // Before the first quote the first quote's mid holds: [0, 20] → 100.
        Assert.Equal(100, m.MidTwap(0, 20 * S), 9);
        // An empty span is the mid at its start.
        Assert.Equal(102, m.MidTwap(25 * S, 25 * S), 9);
        Assert.Equal(102, m.MidAt(39 * S), 9);
        Assert.True(double.IsNaN(new MarketContext([], []).MidTwap(0, S)));
    }

    [Fact]
    public void A_boundary_minimum_in_beta_does_not_overflow_the_fit()
    {
        // IS independent of participation: the RSS is flat in β and MathNet's bracket once expanded to β = −99
        // (P^β overflowed to ∞ and the fit threw). The objective is clamped to [0.1, 1.5] now.
        var rng = new Random(3);
        var obs = Enumerable.Range(0, 400).Select(_ => new ImpactFitter.Observation(
            2, 100, Math.Exp(-6 + (3 * rng.NextDouble())), 0.5, rng.NextDouble() * 10, 30 * SyntheticDay.Normal(rng), 30 * SyntheticDay.Normal(rng))).ToArray();
        var c = ImpactFitter.Fit(obs);
        Assert.InRange(c.Beta, 0.1, 1.5);
        Assert.True(double.IsFinite(c.Eta));
    }

    [Fact]
    public void The_fit_recovers_the_planted_market_move_weights_and_nets_the_moves_out_of_the_residual()
    {
        // SyntheticDay plants IS += 0.5·M₁ + 0.3·M₂ with M ~ N(0, 6 bps) each, plus 0.5 bps of other noise.
        var day = SyntheticDay.Generate(SyntheticScenario.Calm, 8000, 41, noiseBps: 0.5);
        var stack = BaselineStack.Fit(day.Parents, day.Parents.Select(_ => true).ToArray());
        var c = stack.Buckets["twap"];
        Assert.InRange(c.EarlyMoveWeight, 0.48, 0.52);
        Assert.InRange(c.LateMoveWeight, 0.28, 0.32);
        var sd = Math.Sqrt(day.Parents.Select(p => p.IsBps - stack.Predict(p)).Select(r => r * r).Average());
        // Without the moves the residual would carry √(0.5²·36 + 0.3²·36) ≈ 3.5 bps of market noise.
        Assert.InRange(sd, 0, 1.0);
    }

    [Fact]
    public void A_worked_example_with_the_market_terms_matches_hand_arithmetic()
    {
        // Prior terms 6.15032 (see BaselineStackTests) + 0.5·4 + 0.25·(−2) = 7.65032; an unknown move counts as 0.
        var c = ImpactCoefficients.Prior with { EarlyMoveWeight = 0.5, LateMoveWeight = 0.25 };
        Assert.Equal(7.65032, c.Predict(2, 150, 0.1, 0.3, 4, -2), 4);
        Assert.Equal(8.15032, c.Predict(2, 150, 0.1, 0.3, 4, double.NaN), 4);
    }
}
