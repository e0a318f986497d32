using DmaSlip.Models.Features;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Models.Tests.Pipeline;

/// <summary>C_iommu as the overlay's counterfactual against each host's calm profile.</summary>
public sealed class CounterfactualTests
{
    [Fact]
    public void Family_split_shares_the_market_interaction_by_absolute_family_change()
    {
        // d = (1, −0.5, 0.5), market 0.4: Σ|d| = 2 → 1 + 0.2, −0.5 + 0.1, 0.5 + 0.1; the sum is 1.4 = 1 − 0.5 + 0.5 + 0.4.
        var (a, b, c) = IommuOverlay.SplitFamilies(1, -0.5, 0.5, 0.4);
        Assert.Equal(1.2, a, 12);
        Assert.Equal(-0.4, b, 12);
        Assert.Equal(0.6, c, 12);
        var (x, y, z) = IommuOverlay.SplitFamilies(0, 0, 0, 0.3);
        Assert.Equal(0.1, x, 12);
        Assert.Equal(0.1, y, 12);
        Assert.Equal(0.1, z, 12);
    }

    [Fact]
    public void C_iommu_is_the_prediction_minus_the_prediction_at_the_calm_profile_and_zero_at_the_profile_itself()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 4000, 61);
        var (model, _) = SlippageModel.Fit(day.Parents, new OverlayOptions());
        using (model)
        {
            Assert.True(model.Overlay.HasMeanSkill);
            var cols = OverlayFeatureSchema.Count;
            var calmVector = model.Overlay.CalmProfile.Pooled[0];
            // A profile whose every calm vector is the same: the counterfactual is one point, so it can be checked.
            var single = new CalmProfile(new Dictionary<string, float[][]>(), [calmVector]);
            var (meanText, q95Text) = model.Overlay.ModelTexts();
            using var overlay = IommuOverlay.Load(meanText, model.Overlay.ConstantMean, model.Overlay.Slope, q95Text, model.Overlay.ConstantQ95, single, model.Overlay.Metrics);
            var stormRow = day.Parents.First(p => day.InStorm[p.ParentId] && day.TrueUplift[p.ParentId] > 3).Features;
            var counterfactual = new float[cols];
            single.Counterfactuals(stormRow, "h0", counterfactual);
            var est = overlay.Apply([.. stormRow, .. counterfactual], ["h0", "h0"]);
            // Mean = c + b·(f(x) − c), so Mean(x) − Mean(x_calm) = b·(f(x) − f(x_calm)) = C_iommu.
            Assert.Equal(est[0].Mean - est[1].Mean, est[0].Iommu, 9);
            Assert.True(est[0].Iommu > 0.5, $"a storm parent's C_iommu {est[0].Iommu:F3}");
            Assert.Equal(0, est[1].Iommu, 12);
            // Market features are the parent's own on both sides.
            for (var c = 0; c < cols; c++)
            {
                var market = OverlayFeatureSchema.Features[c].Family == FeatureFamily.Market;
                Assert.Equal(market ? stormRow[c] : calmVector[c], counterfactual[c]);
            }
        }
    }

    [Fact]
    public void A_parent_whose_host_showed_no_pressure_carries_no_iommu_cost_and_keeps_the_identity()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 3000, 63);
        var (model, _) = SlippageModel.Fit(day.Parents, new OverlayOptions());
        using (model)
        {
            var est = model.Apply(day.Parents);
            var calm = est.Where(e => e.Calm).ToArray();
            Assert.True(calm.Length > 1000, $"{calm.Length} calm parents");
            Assert.All(calm, e =>
            {
                Assert.Equal(0, e.Attribution.IommuBps);
                Assert.Equal(0, e.Attribution.DmaJitterBps);
            });
            // The storm parents that are not calm still carry the overlay's counterfactual.
            Assert.Contains(est, e => !e.Calm && e.Attribution.IommuBps > 1);
            for (var i = 0; i < est.Count; i++)
            {
                Assert.Equal(day.Parents[i].IsBps, est[i].Attribution.TotalBps, 9);
            }
        }
    }
}
