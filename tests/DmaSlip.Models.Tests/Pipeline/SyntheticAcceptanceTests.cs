using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;

namespace DmaSlip.Models.Tests.Pipeline;

public sealed class SyntheticAcceptanceTests
{
    private static readonly OverlayOptions Options = new();

    private static (double ModelMean, double TrueMean, double Coverage, double CalmAbs) Evaluate(SyntheticScenario scenario, int fitSeed, int evalSeed)
    {
        var train = SyntheticDay.Generate(scenario, 8000, fitSeed);
        var (model, _) = SlippageModel.Fit(train.Parents, Options);
        using (model)
        {
            var test = SyntheticDay.Generate(scenario, 8000, evalSeed, dayOffsetNs: 86_400L * 1_000_000_000);
            var est = model.Apply(test.Parents);
            var storm = Enumerable.Range(0, est.Count).Where(i => test.InStorm[test.Parents[i].ParentId]).ToArray();
            var modelMean = storm.Length == 0 ? 0 : storm.Average(i => est[i].Attribution.IommuBps);
            var trueMean = storm.Length == 0 ? 0 : storm.Average(i => test.TrueUplift[test.Parents[i].ParentId]);
            var coverage = Enumerable.Range(0, est.Count).Average(i => test.Parents[i].IsBps - est[i].BaselineBps <= est[i].OverlayQ95Bps ? 1.0 : 0.0);
            var calmAbs = Enumerable.Range(0, est.Count).Where(i => !test.InStorm[test.Parents[i].ParentId]).Average(i => Math.Abs(est[i].Attribution.IommuBps));
            return (modelMean, trueMean, coverage, calmAbs);
        }
    }

    [Fact]
    public void Storm_uplift_is_recovered_within_15_percent_on_a_held_out_day_with_calibrated_q95()
    {
        var (modelMean, trueMean, coverage, _) = Evaluate(SyntheticScenario.Storm, 101, 202);
        Assert.True(trueMean > 1, $"planted uplift {trueMean:F2}");
        Assert.InRange(Math.Abs(modelMean - trueMean) / trueMean, 0, 0.15);
        Assert.InRange(coverage, 0.93, 0.97);
    }

    [Fact]
    public void A_calm_day_gets_almost_no_iommu_cost()
    {
        var (_, _, coverage, calmAbs) = Evaluate(SyntheticScenario.Calm, 103, 204);
        Assert.InRange(calmAbs, 0, 0.2);
        Assert.InRange(coverage, 0.93, 0.97);
    }

    [Fact]
    public void A_venue_shock_is_not_attributed_to_the_iommu()
    {
        var train = SyntheticDay.Generate(SyntheticScenario.VenueShock, 8000, 105);
        var (model, _) = SlippageModel.Fit(train.Parents, Options);
        using (model)
        {
            var test = SyntheticDay.Generate(SyntheticScenario.VenueShock, 8000, 206, dayOffsetNs: 86_400L * 1_000_000_000);
            var est = model.Apply(test.Parents);
            var shock = Enumerable.Range(0, est.Count).Where(i => test.InShock[test.Parents[i].ParentId]).ToArray();
            var rest = Enumerable.Range(0, est.Count).Where(i => !test.InShock[test.Parents[i].ParentId]).ToArray();
            var realizedUplift = shock.Average(i => test.Parents[i].IsBps - est[i].BaselineBps) - rest.Average(i => test.Parents[i].IsBps - est[i].BaselineBps);
            var iommu = shock.Average(i => est[i].Attribution.IommuBps);
            Assert.True(realizedUplift > 2, $"the shock raised IS by {realizedUplift:F2} bps");
            Assert.InRange(Math.Abs(iommu) / realizedUplift, 0, 0.10);
        }
    }

    [Fact]
    public void Every_parent_satisfies_is_equals_delay_plus_impact_plus_miss_plus_iommu()
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 3000, 107);
        var (model, _) = SlippageModel.Fit(day.Parents, Options);
        using (model)
        {
            var est = model.Apply(day.Parents);
            for (var i = 0; i < est.Count; i++)
            {
                Assert.Equal(day.Parents[i].IsBps, est[i].Attribution.TotalBps, 9);
            }
            Assert.Contains(est, e => Math.Abs(e.Attribution.IommuBps) > 1);
        }
    }
}
