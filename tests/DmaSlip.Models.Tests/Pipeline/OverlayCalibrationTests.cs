using DmaSlip.Models.Features;
using DmaSlip.Models.Overlay;

namespace DmaSlip.Models.Tests.Pipeline;

// The overlay's calibration (IommuOverlay.Calibration.cs): the slope of the mean booster, the conformal q95 offset,
// the cross-fitted predictions they rest on, and when a pool is too small to calibrate at all.

public sealed class CalibrationSlopeTests
{
    [Fact]
    public void An_exact_slope_is_kept_and_one_its_noise_cannot_tell_from_1_is_1()
    {
        // y = 0.2 + 1.5·p exactly: SE = 0, so b = 1.5.
        var p = Enumerable.Range(0, 50).Select(i => i / 10.0).ToArray();
        Assert.Equal(1.5, IommuOverlay.CalibrationSlope(p, p.Select(v => (float)(0.2 + (1.5 * v))).ToArray()), 5);
        // p = 0..9 four times, y = p ± 3 (sign alternating by pairs): noise the slope estimate cannot tell from a
        // slope of 1 (|b̂ − 1| < SE), so the result is exactly 1.
        var q = Enumerable.Range(0, 40).Select(i => (double)(i % 10)).ToArray();
        var y = q.Select((v, i) => (float)(v + ((i / 2) % 2 == 0 ? 3 : -3))).ToArray();
        Assert.Equal(1.0, IommuOverlay.CalibrationSlope(q, y), 12);
        // Too few rows: 1.
        Assert.Equal(1.0, IommuOverlay.CalibrationSlope([1, 2, 3], [2, 4, 6]), 12);
    }

    [Fact]
    public void A_clear_slope_is_shrunk_by_its_standard_error()
    {
        // y = 1.6·p + small noise: the shrinkage is tiny; the result sits just inside b̂.
        var rng = new Random(3);
        var p = Enumerable.Range(0, 2000).Select(_ => rng.NextDouble() * 4).ToArray();
        var y = p.Select(v => (float)((1.6 * v) + (0.3 * (rng.NextDouble() - 0.5)))).ToArray();
        var b = IommuOverlay.CalibrationSlope(p, y);
        Assert.InRange(b, 1.58, 1.62);
    }
}

public sealed class EffectSlopeTests
{
    [Fact]
    public void The_slope_is_the_coefficient_on_the_counterfactual_effect_not_on_the_whole_prediction()
    {
        // c (calm counterfactual) = 0..9, d (effect) = 0, 1, 2, 3 cycling: p = c + d. The truth is y = 0.5 + 0.6·c + 1·d
        // exactly: the market part is over-dispersed (0.6), the effect is calibrated (1). One slope of y on p mixes
        // the two and reads 0.66, held at its floor 0.8; the effect slope is 1 (SE 0).
        var c = Enumerable.Range(0, 40).Select(i => (double)(i % 10)).ToArray();
        var d = Enumerable.Range(0, 40).Select(i => (double)(i % 4)).ToArray();
        var p = c.Select((v, i) => v + d[i]).ToArray();
        var y = c.Select((v, i) => (float)(0.5 + (0.6 * v) + d[i])).ToArray();
        Assert.Equal(1.0, IommuOverlay.EffectSlope(p, c, y), 6);
        Assert.Equal(0.8, IommuOverlay.CalibrationSlope(p, y), 12);
        // y = 0.5 + 0.6·c + 1.5·d: the effect slope is 1.5.
        var y15 = c.Select((v, i) => (float)(0.5 + (0.6 * v) + (1.5 * d[i]))).ToArray();
        Assert.Equal(1.5, IommuOverlay.EffectSlope(p, c, y15), 6);
    }

    [Fact]
    public void Without_any_effect_or_counterfactual_it_falls_back_to_the_plain_slope()
    {
        // No calm counterfactual anywhere (NaN): d = 0 on every row, so the plain slope of y on p decides (1.5 here).
        var p = Enumerable.Range(0, 50).Select(i => i / 10.0).ToArray();
        var y = p.Select(v => (float)(0.2 + (1.5 * v))).ToArray();
        Assert.Equal(1.5, IommuOverlay.EffectSlope(p, [.. p.Select(_ => double.NaN)], y), 5);
        Assert.Equal(1.5, IommuOverlay.EffectSlope(p, p, y), 5);
        Assert.Equal(1.0, IommuOverlay.EffectSlope([1, 2, 3], [1, 2, 3], [2, 4, 6]), 12);
    }
}

public sealed class ConformalAndCrossFitTests
{
    [Fact]
    public void Conformal_offset_is_the_rank_ceil_alpha_n_plus_1_score()
    {
        // Scores y − p = 1..19 (shuffled): rank ⌈0.95·20⌉ = 19 → 19. With p = 1 everywhere the scores drop by 1.
        var y = Enumerable.Range(1, 19).Select(v => (float)v).Reverse().ToArray();
        Assert.Equal(19, IommuOverlay.ConformalOffset(new double[19], y, 0.95), 12);
        Assert.Equal(18, IommuOverlay.ConformalOffset(Enumerable.Repeat(1.0, 19).ToArray(), y, 0.95), 12);
        // α = 0.5 over 19 rows: rank 10 → 10.
        Assert.Equal(10, IommuOverlay.ConformalOffset(new double[19], y, 0.5), 12);
        // 10 rows: rank ⌈10.45⌉ = 11 > 10, too few for the guarantee → 0.
        Assert.Equal(0, IommuOverlay.ConformalOffset(new double[10], [.. y.Take(10)], 0.95), 12);
    }

    [Fact]
    public void Cross_fitted_predictions_never_see_their_own_row()
    {
        // y depends on x (1.5·x) plus a large per-row shock. A booster that saw the row would chase its shock; out of
        // fold, the prediction follows x only, so the residual y − prediction keeps the shock's full size.
        var cols = OverlayFeatureSchema.Count;
        var rng = new Random(9);
        const int n = 2000;
        var x = OverlayRows.Missing(n);
        var y = new float[n];
        var shock = new double[n];
        var col = OverlayFeatureSchema.IndexOf("flush_rate_mean");
        for (var i = 0; i < n; i++)
        {
            var v = rng.NextDouble() * 4;
            x[(i * cols) + col] = (float)v;
            shock[i] = rng.NextDouble() < 0.5 ? -3 : 3;
            y[i] = (float)((1.5 * v) + shock[i]);
        }
        var p = new Models.Gbm.GbmParameters { Iterations = 100, NumLeaves = 31, MinDataInLeaf = 1, LambdaL2 = 0 };
        var hosts = Enumerable.Repeat("h1", n).ToArray();
        var profile = CalmProfile.Build(x, hosts, [.. Enumerable.Range(0, n).Select(i => i % 10 == 0)]);
        var (oof, calm) = IommuOverlay.CrossFittedEffect(x, y, hosts, profile, cols, p, 4);
        Assert.All(calm, v => Assert.True(double.IsFinite(v))); // every row has its host's calm vectors
        // Residual variance out of fold ≈ the shock's variance (9); in-sample with 31 leaves of ≥ 1 row it would be far lower.
        var resid = Enumerable.Range(0, n).Select(i => y[i] - oof[i]).ToArray();
        var variance = resid.Select(r => r * r).Average();
        Assert.InRange(variance, 7.5, 11);
        var corr = Enumerable.Range(0, n).Select(i => resid[i] * shock[i]).Average() / 9;
        Assert.InRange(corr, 0.8, 1.1);
    }

    [Fact]
    public void Too_few_validation_rows_give_constants_even_for_a_real_effect()
    {
        // A clean 3 bps storm effect: 600 rows (150 validation) find it; 300 rows (75 < 100 validation) may not judge it.
        static (float[] X, float[] Y, bool[] Calm) Day(int n)
        {
            var cols = OverlayFeatureSchema.Count;
            var col = OverlayFeatureSchema.IndexOf("flush_rate_mean");
            var rng = new Random(21);
            var x = OverlayRows.Missing(n);
            var y = new float[n];
            var calm = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var storm = i % 2 == 0;
                x[(i * cols) + col] = storm ? 20_000 : 800;
                y[i] = (float)((storm ? 3 : 0) + (rng.NextDouble() - 0.5));
                calm[i] = !storm;
            }
            return (x, y, calm);
        }
        // Leaves sized for a small pool the way SlippageModel.Fit sizes them (n / 20).
        var options = new OverlayOptions();
        options = options with { Mean = options.Mean with { MinDataInLeaf = 20 }, Q95 = options.Q95 with { MinDataInLeaf = 20 } };
        var (x6, y6, c6) = Day(600);
        using var enough = IommuOverlay.Fit(x6, y6, c6, Enumerable.Repeat("h0", 600).ToArray(), options);
        Assert.True(enough.HasMeanSkill);
        var (x3, y3, c3) = Day(300);
        using var few = IommuOverlay.Fit(x3, y3, c3, Enumerable.Repeat("h0", 300).ToArray(), options);
        Assert.False(few.HasMeanSkill);
        Assert.Equal(0, few.Metrics.Q95Iterations);
    }
}
