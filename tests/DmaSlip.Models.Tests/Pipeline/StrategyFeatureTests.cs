using DmaSlip.Models.Features;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Models.Tests.Pipeline;

/// <summary>The parent's strategy as an overlay feature (<c>strategy_code</c>).</summary>
public sealed class StrategyFeatureTests
{
    [Fact]
    public void The_strategy_code_is_the_index_in_the_models_strategies_and_missing_for_an_unseen_one()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Calm, 3, 5);
        var cols = OverlayFeatureSchema.Count;
        var column = OverlayFeatureSchema.IndexOf(OverlayFeatureSchema.StrategyFeature);
        ParentRecord[] parents = [day.Parents[0] with { Strategy = "twap" }, day.Parents[1] with { Strategy = "pov" }, day.Parents[2] with { Strategy = "vwap" }];
        var x = SlippageModel.Matrix(parents, ["pov", "twap"]);
        Assert.Equal(1f, x[column]);
        Assert.Equal(0f, x[cols + column]);
        Assert.True(float.IsNaN(x[(2 * cols) + column]));
        // Every other column is the parent's own feature vector.
        Assert.Equal(parents[0].Features[0], x[0]);
        Assert.True(float.IsNaN(parents[0].Features[column]), "the feature builder leaves the code to the model");
    }

    [Fact]
    public void A_storm_that_costs_pov_parents_half_of_what_it_costs_twap_parents_is_priced_per_strategy()
    {
        // 40 % POV parents whose true uplift is half a TWAP parent's in the same storm.
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 8000, 71, povShare: 0.4);
        var (model, _) = SlippageModel.Fit(day.Parents, new OverlayOptions());
        using (model)
        {
            Assert.Equal(["pov", "twap"], model.Strategies);
            var est = model.Apply(day.Parents);
            foreach (var strategy in new[] { "twap", "pov" })
            {
                var storm = day.Parents.Select((p, i) => (p, i)).Where(t => t.p.Strategy == strategy && day.InStorm[t.p.ParentId]).ToArray();
                var truth = storm.Average(t => day.TrueUplift[t.p.ParentId]);
                var modelled = storm.Average(t => est[t.i].Attribution.IommuBps);
                // Blind to the strategy, one storm effect spread over both is ≈ 0.8× the truth for TWAP and 1.6× for POV.
                Assert.True(Math.Abs(modelled - truth) <= 0.15 * truth, $"{strategy}: model {modelled:F3} vs truth {truth:F3} bps over {storm.Length} storm parents");
            }
        }
    }
}
