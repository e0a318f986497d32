using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Models.Tests.Pipeline;

/// <summary>The doubly robust level of the overlay's C_iommu (<see cref="LevelCorrection"/>; docs/METRICS.md).</summary>
public sealed class LevelCorrectionTests
{
    [Fact]
    public void The_shift_is_the_groups_mean_error_less_the_calms_shrunk_by_its_standard_error_and_spread_by_the_effect()
    {
        // Calm errors −1, 1, 0, 0: mean 0, variance 2/3. Group "twap": C = 2 and 1, errors 2 and 4: mean 3, variance 2.
        // shift = 3; SE² = 2/2 + (2/3)/4 = 7/6; applied = 3·(1 − (7/6)/9) = 141/54 = 2.61111.
        // mean |C| = 1.5: C' = 2 + 2.61111·2/1.5 = 5.48148 and 1 + 2.61111/1.5 = 2.74074 (every family × 2.74074).
        // Group "vwap": no effect (C = 0) → applied 0 whatever its errors. Group "pov": one parent → no row.
        (double, double, double)[] families = [(0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (1, 0.5, 0.5), (0.5, 0.25, 0.25), (0, 0, 0), (0, 0, 0), (3, 0, 0)];
        bool[] calm = [true, true, true, true, false, false, false, false, false];
        double[] error = [-1, 1, 0, 0, 2, 4, 5, 7, 9];
        string[] group = ["twap", "twap", "pov", "pov", "twap", "twap", "vwap", "vwap", "pov"];
        var rows = LevelCorrection.Apply(families, calm, error, group);
        Assert.Equal(["twap", "vwap"], rows.Select(r => r.Group));
        var twap = rows[0];
        Assert.Equal(2, twap.Parents);
        Assert.Equal(3, twap.ShiftBps, 12);
        Assert.Equal(Math.Sqrt(7.0 / 6), twap.StandardErrorBps, 12);
        Assert.Equal(141.0 / 54, twap.AppliedBps, 12);
        Assert.Equal(0, rows[1].AppliedBps);
        Assert.Equal(6, rows[1].ShiftBps, 12);
        var factor = 1 + (141.0 / 54 / 1.5);
        Assert.Equal((factor, 0.5 * factor, 0.5 * factor), families[4]);
        Assert.Equal(5.481481, families[4].Item1 + families[4].Item2 + families[4].Item3, 5);
        Assert.Equal(2.740741, families[5].Item1 + families[5].Item2 + families[5].Item3, 5);
        Assert.Equal((0.0, 0.0, 0.0), families[0]);
        Assert.Equal((3.0, 0.0, 0.0), families[8]);
    }

    [Fact]
    public void A_shift_within_its_noise_is_not_applied_and_without_calm_parents_nothing_is_corrected()
    {
        // Group errors 1 and −0.6: mean 0.2, variance 1.28 → SE² ≥ 0.64 > 0.04: shrunk to 0.
        (double, double, double)[] families = [(0, 0, 0), (0, 0, 0), (1, 0, 0), (2, 0, 0)];
        var rows = LevelCorrection.Apply(families, [true, true, false, false], [0.5, -0.5, 1, -0.6], ["twap", "twap", "twap", "twap"]);
        Assert.Equal(0, Assert.Single(rows).AppliedBps);
        Assert.Equal((1.0, 0.0, 0.0), families[2]);
        Assert.Empty(LevelCorrection.Apply(families, [false, false, false, false], [0.5, -0.5, 1, -0.6], ["twap", "twap", "twap", "twap"]));
    }

    [Fact]
    public void A_day_whose_storm_costs_more_than_the_fits_days_is_priced_at_its_own_level()
    {
        // The fit's day and a day whose every uplift is 1.4× with the same host features: the trees alone carry the
        // fit's level (≈ 0.71 of the truth); the day's own residuals move it.
        var fitDay = SyntheticDay.Generate(SyntheticScenario.Storm, 6000, 81);
        var scored = SyntheticDay.Generate(SyntheticScenario.Storm, 6000, 83, upliftScale: 1.4);
        var (model, _) = SlippageModel.Fit(fitDay.Parents, new OverlayOptions());
        using (model)
        {
            var result = model.Attribute(scored.Parents);
            var storm = scored.Parents.Select((p, i) => (p, i)).Where(t => scored.InStorm[t.p.ParentId]).ToArray();
            var truth = storm.Average(t => scored.TrueUplift[t.p.ParentId]);
            var modelled = storm.Average(t => result.Estimates[t.i].Attribution.IommuBps);
            Assert.True(Math.Abs(modelled - truth) <= 0.1 * truth, $"model {modelled:F3} vs truth {truth:F3} bps over {storm.Length} storm parents");
            Assert.Contains(result.Corrections, c => c.AppliedBps > 0);
            // The identity still holds per parent.
            foreach (var (p, i) in storm)
            {
                Assert.Equal(p.IsBps, result.Estimates[i].Attribution.TotalBps, 9);
            }
        }
    }
}
