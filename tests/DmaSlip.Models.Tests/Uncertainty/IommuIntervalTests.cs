using DmaSlip.Models.Features;
using DmaSlip.Models.Matching;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;
using DmaSlip.Models.Uncertainty;

namespace DmaSlip.Models.Tests.Uncertainty;

/// <summary>The worked examples of docs/METRICS.md, "C_iommu intervals".</summary>
public sealed class IommuIntervalTests
{
    private static ParentRecord Parent(int i, string segment, double delay, double impact, double miss) =>
        new($"p{i}", "h0", "a", "twap", "IBM", segment, "liquid", i, i + 1, 2, 100, 0.05, 3, 40, 0.5, 0, 0,
            delay + impact + miss, delay, impact, miss, new float[OverlayFeatureSchema.Count]);

    [Fact]
    public void A_resolved_interval_has_its_standard_error_and_mde_and_needs_no_more_parents()
    {
        var i = new IommuInterval(1.0, 0.2, 1.8, "overlay", 400);
        Assert.True(i.Resolved);
        Assert.Equal(1.6 / 3.919927969, i.StandardErrorBps, 6);   // 0.408171
        Assert.Equal(2.801585218 * 0.408171, i.MdeBps, 4);        // 1.14352
        Assert.Null(i.ParentsNeeded);
    }

    [Fact]
    public void An_unresolved_interval_says_how_many_parents_would_resolve_it()
    {
        var i = new IommuInterval(0.5, -0.3, 1.3, "matched-windows", 100);
        Assert.False(i.Resolved);
        // MDE 1.14352 → 100 · (1.14352 / 0.5)² = 523.06 → 524
        Assert.Equal(524, i.ParentsNeeded);
        Assert.Null(new IommuInterval(0, -1, 1, "overlay", 100).ParentsNeeded);
    }

    [Fact]
    public void Pools_combine_by_their_sums_and_summed_replicate_deviations()
    {
        var a = new SubsetDraws(6, 3, [-3, 0, 3], "overlay");
        var b = new SubsetDraws(2, 1, [1, -1, 0], "matched-windows");
        var c = IommuInterval.Combine([a, b])!;
        // mean (6 + 2)/4 = 2; deviations (−2, −1, 3)/4 sorted −0.5, −0.25, 0.75;
        // q2.5: h = 0.05 → −0.5 + 0.05·0.25 = −0.4875; q97.5: h = 1.95 → −0.25 + 0.95·1 = 0.7
        Assert.Equal(2, c.MeanBps, 12);
        Assert.Equal(1.5125, c.LowBps, 12);
        Assert.Equal(2.7, c.HighBps, 12);
        Assert.Equal("matched-windows+overlay", c.Method);
        Assert.Equal(4, c.Parents);
        Assert.Null(IommuInterval.Combine([new SubsetDraws(0, 0, [0, 0], "none")]));
    }

    [Fact]
    public void Matched_effects_charge_the_stratum_difference_split_by_the_classical_terms()
    {
        // Stratum "mid": calm parents residual 1 (delay 1, impact 1, miss 0 → IS 2), treated residual 3 (delay 2,
        // impact 1, miss 0 → IS 3). Stratum "close" has treated parents only: they get the ATT.
        var parents = new List<ParentRecord>();
        var residual = new List<double>();
        var calm = new List<bool>();
        for (var i = 0; i < 12; i++)
        {
            var treated = i % 3 == 0;
            var segment = i >= 9 ? "close" : "mid";
            parents.Add(treated ? Parent(i, segment, 2, 1, 0) : Parent(i, segment, 1, 1, 0));
            residual.Add(treated ? 3 : 1);
            calm.Add(!treated && segment == "mid");
        }
        var m = MatchedEffects.Estimate(parents, residual, calm);
        Assert.True(m.Any);
        var mid = m.Group[0];
        Assert.Equal(2, m.Effect[mid], 12);
        Assert.All(m.Deviations[mid], d => Assert.Equal(0, d, 12));   // constant residuals: no sampling noise
        // d = (delay 1, impact 0, miss 0), rest 2 − 1 = 1 shared by |d|: (2, 0, 0)
        Assert.Equal((2.0, 0.0, 0.0), m.Families[mid]);
        Assert.Equal(m.Effect.Length - 1, m.Group[9]);                 // close: no calm parent → the ATT
        Assert.Equal(2, m.Effect[^1], 12);
        Assert.Equal(-1, m.Group[1]);                                   // calm
        var u = IommuUncertainty.ForMatched(parents.Select((_, i) => calm[i] || m.Group[i] < 0 ? 0 : m.Effect[m.Group[i]]).ToArray(), calm.ToArray(), m);
        var interval = u.PressuredInterval()!;
        Assert.Equal(2, interval.MeanBps, 12);
        Assert.Equal(2, interval.LowBps, 12);
        Assert.Equal((0.0, 0.0), u.ParentInterval(1, interval));
    }

    [Fact]
    public void Without_a_calm_parent_there_is_no_matched_estimate()
    {
        var parents = Enumerable.Range(0, 10).Select(i => Parent(i, "mid", 1, 0, 0)).ToArray();
        Assert.False(MatchedEffects.Estimate(parents, parents.Select(_ => 1.0).ToArray(), new bool[10]).Any);
    }

    [Fact]
    public void The_overlay_interval_is_as_wide_as_the_residual_noise_of_the_pressured_parents()
    {
        // C_i = 1 on 400 pressured parents whose residual errors are N(0, 4²); 400 calm parents with errors N(0, 4²).
        // SE = √(16/400 + 16/400) = 0.283 → 95 % half-width ≈ 0.554.
        var rng = new Random(5);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var n = 800;
        var calm = Enumerable.Range(0, n).Select(i => i % 2 == 0).ToArray();
        var estimate = calm.Select(c => c ? 0.0 : 1.0).ToArray();
        var error = Enumerable.Range(0, n).Select(_ => 4 * Normal()).ToArray();
        var interval = IommuUncertainty.ForOverlay(estimate, calm, error).PressuredInterval()!;
        Assert.Equal(1, interval.MeanBps, 12);
        Assert.Equal(400, interval.Parents);
        Assert.InRange((interval.HighBps - interval.LowBps) / 2, 0.554 * 0.85, 0.554 * 1.15);
        Assert.Equal("overlay", interval.Method);
    }

    [Fact]
    public void A_small_day_without_overlay_skill_gets_matched_windows_with_an_interval_never_a_silent_zero()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 240, 31);
        var (model, _) = SlippageModel.Fit(day.Parents, new OverlayOptions());
        using (model)
        {
            Assert.False(model.Overlay.HasMeanSkill);
            var a = model.Attribute(day.Parents);
            Assert.Equal(IommuMethod.MatchedWindows, a.Uncertainty.Method);
            Assert.All(a.Estimates.Where(e => !e.Calm), e =>
            {
                Assert.Equal(IommuMethod.MatchedWindows, e.Method);
                Assert.NotNull(e.IommuLowBps);
                Assert.True(e.IommuLowBps <= e.Attribution.IommuBps && e.Attribution.IommuBps <= e.IommuHighBps);
            });
            Assert.All(a.Estimates.Where(e => e.Calm), e => Assert.Equal(IommuMethod.CalmHurdle, e.Method));
            var interval = a.Uncertainty.PressuredInterval()!;
            Assert.True(interval.HighBps > interval.LowBps);
        }
    }
}
