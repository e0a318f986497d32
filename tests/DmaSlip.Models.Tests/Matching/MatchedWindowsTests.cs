using DmaSlip.Models.Features;
using DmaSlip.Models.Matching;
using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Tests.Matching;

public sealed class MatchedWindowsTests
{
    private static ParentRecord Parent(int i, string segment, double sigma) =>
        new($"p{i}", "h0", "a", "twap", "IBM", segment, "liquid", i, i + 1, 2, sigma, 0.05, 3, 40, 0.5, 0, 0, 0, 0, 0, 0, new float[OverlayFeatureSchema.Count]);

    [Fact]
    public void Stratification_removes_the_bias_of_a_storm_that_coincides_with_a_volatile_open()
    {
        var rng = new Random(3);
        var parents = new List<ParentRecord>();
        var residual = new List<double>();
        var pressured = new List<bool>();
        for (var i = 0; i < 4000; i++)
        {
            var open = i % 2 == 0;
            // Pressure hits 60 % of the (volatile, costly) open but only 10 % of mid-session.
            var p = rng.NextDouble() < (open ? 0.6 : 0.1);
            parents.Add(Parent(i, open ? "open" : "mid", open ? 300 : 100));
            residual.Add((open ? 8 : 0) + (p ? 2 : 0) + rng.NextDouble() - 0.5);
            pressured.Add(p);
        }
        var calm = pressured.Select(p => !p).ToArray();
        var report = MatchedWindows.Run(parents, residual, calm, pressured);
        var naive = residual.Where((_, i) => pressured[i]).Average() - residual.Where((_, i) => !pressured[i]).Average();
        Assert.True(naive > 5, $"naive difference {naive:F2} should be confounded");
        Assert.InRange(report.AttBps, 1.9, 2.1);
        Assert.True(report.AttCiLowBps < 2 && report.AttCiHighBps > 2);
        Assert.Equal(2, report.MatchedStrata);
        Assert.Equal(1.0, report.MatchedShare);
        var sigma = report.Balance.Single(b => b.Covariate == "sigma_daily_bps");
        Assert.True(Math.Abs(sigma.SmdBefore) > 0.5 && Math.Abs(sigma.SmdAfter) < 0.01, $"{sigma}");
    }

    [Fact]
    public void Pressured_parents_in_a_stratum_without_calm_ones_are_counted_unmatched()
    {
        var parents = Enumerable.Range(0, 40).Select(i => Parent(i, i < 10 ? "close" : "mid", 100)).ToArray();
        var pressured = parents.Select((_, i) => i < 10 || i % 3 == 0).ToArray();
        var calm = pressured.Select(p => !p).ToArray();
        var report = MatchedWindows.Run(parents, parents.Select(_ => 1.0).ToArray(), calm, pressured);
        // Pressured: i < 10 (close, no calm there) and i % 3 == 0 for i in 10..39 (10 of them, matched).
        Assert.Equal(20, report.PressuredParents);
        Assert.Equal(0.5, report.UnmatchedShare, 9);
        Assert.Equal(0.0, report.AttBps, 9);
    }

    [Fact]
    public void Same_inputs_give_the_same_bootstrap_intervals()
    {
        var parents = Enumerable.Range(0, 300).Select(i => Parent(i, "mid", 100 + (i % 7))).ToArray();
        var rng = new Random(9);
        var residual = parents.Select(_ => rng.NextDouble()).ToArray();
        var pressured = parents.Select((_, i) => i % 4 == 0).ToArray();
        var calm = pressured.Select(p => !p).ToArray();
        var a = MatchedWindows.Run(parents, residual, calm, pressured);
        var b = MatchedWindows.Run(parents, residual, calm, pressured);
        Assert.Equal(a.AttCiLowBps, b.AttCiLowBps);
        Assert.Equal(a.Effects.Select(e => e.CiHighBps), b.Effects.Select(e => e.CiHighBps));
    }
}
