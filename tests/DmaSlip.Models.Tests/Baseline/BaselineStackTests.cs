using DmaSlip.Models.Baseline;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Models.Tests.Baseline;

public sealed class BaselineStackTests
{
    [Fact]
    public void Refit_recovers_the_planted_almgren_eta_and_beta_and_the_deadline_premium()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Calm, 12000, 31, noiseBps: 0.5);
        var stack = BaselineStack.Fit(day.Parents, day.Parents.Select(_ => true).ToArray());
        var c = stack.Pooled;
        Assert.InRange(c.Beta, 0.5, 0.7);
        Assert.InRange(c.Eta, 0.11, 0.175);
        Assert.InRange(c.DeadlinePremium, 0.3, 0.7);
        Assert.InRange(c.SpreadWeight, 0.85, 1.15);
        Assert.True(stack.Fill.B < 0, "a deeper queue must lower the fill probability");
    }

    [Fact]
    public void Baseline_fits_on_calm_parents_only_so_a_storm_does_not_leak_into_it()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 8000, 32);
        var calm = day.Parents.Select(p => !day.InStorm[p.ParentId]).ToArray();
        var stack = BaselineStack.Fit(day.Parents, calm);
        var stormResidual = day.Parents.Where(p => day.InStorm[p.ParentId]).Average(p => p.IsBps - stack.Predict(p));
        var stormTruth = day.Parents.Where(p => day.InStorm[p.ParentId]).Average(p => day.TrueUplift[p.ParentId]);
        Assert.InRange(stormResidual, stormTruth * 0.85, stormTruth * 1.15);
    }

    [Fact]
    public void Fill_probability_falls_with_queue_depth_and_latency()
    {
        var rng = new Random(5);
        var obs = Enumerable.Range(0, 3000).Select(_ =>
        {
            var q = rng.NextDouble() * 10;
            var l = 20 + (rng.NextDouble() * 500);
            var p = 1 / (1 + Math.Exp(-(1.0 - (0.8 * Math.Log(1 + q)) - (2.0 * l / 1000))));
            return (q, l, p);
        }).ToArray();
        var m = FillProbabilityModel.Fit(obs);
        Assert.Equal(1.0, m.A, 2);
        Assert.Equal(-0.8, m.B, 2);
        Assert.Equal(-2.0, m.C, 2);
    }

    [Fact]
    public void A_worked_example_of_the_baseline_formula_matches_hand_arithmetic()
    {
        // HS = 2 bps, σ = 150 bps, P = 0.1, π = 0.3, prior coefficients (c0 0, a 1, δ 0, η 0.142, β 0.6):
        // 2·(1 − 0.6) = 0.8; 0.142·150·0.1^0.6 = 21.3·0.251189 = 5.35032; total 6.15032.
        var v = ImpactCoefficients.Prior.Predict(2, 150, 0.1, 0.3);
        Assert.Equal(6.15032, v, 4);
    }

    [Fact]
    public void Too_few_calm_parents_fall_back_to_the_published_prior()
    {
        var few = SyntheticDay.Generate(SyntheticScenario.Calm, 20, 33).Parents;
        var stack = BaselineStack.Fit(few, few.Select(_ => true).ToArray());
        Assert.Equal(0.142, stack.Pooled.Eta);
        Assert.Equal(0.6, stack.Pooled.Beta);
        Assert.Empty(stack.Buckets);
    }
}
