using DmaSlip.Application.Drills;
using DmaSlip.Core.Control;
using DmaSlip.Models.Uncertainty;
using DmaSlip.Simulation;

namespace DmaSlip.Cli.Tests.Drills;

/// <summary>
/// confounder-separation's judgement of an attribution: the venue check fails when an estimator blames the venue
/// shock on the IOMMU, passes when the estimate is 0 within its interval; the storm check fails when the storm's
/// C_iommu is not resolved. The shipped attribution itself runs on a small venue day (ingest → features → fit).
/// </summary>
public sealed class ConfounderSeparationDrillTests
{
    private const string VenueShare = "venue_c_iommu_resolved_share_of_is_uplift";

    // A small venue-shock day (600 parents, 8 names): enough shock parents for the judgement, seconds to simulate.
    private static readonly Lazy<SimulatedRun> Venue = new(() =>
        SimulatedRun.Run(ConfounderSeparationDrill.DrillSized(Scenarios.VenueShock, 600, 8), 3, RegimeControllerConfig.Default));

    /// <summary>A crafted attribution: every parent's C_iommu given per parent, the interval its mean ± <paramref name="halfWidth"/>.</summary>
    private sealed class Crafted(string source, Func<string, double> perParent, double halfWidth, IEnumerable<string> parents) : IAttributedDay
    {
        private readonly string[] _parents = parents.ToArray();

        public string Source => source;

        public IommuInterval? MeanOver(Func<string, bool> member)
        {
            var chosen = _parents.Where(member).ToArray();
            if (chosen.Length == 0)
            {
                return null;
            }
            var mean = chosen.Average(perParent);
            return new IommuInterval(mean, mean - halfWidth, mean + halfWidth, source, chosen.Length);
        }
    }

    /// <summary>The broken estimator: charges every parent its IS above the day's mean to the IOMMU (no confounder separation).</summary>
    private static Crafted BlameExcess(SimulatedRun run)
    {
        var mean = run.Result.Parents.Average(p => p.IsBps);
        var isBps = run.Result.Parents.ToDictionary(p => p.Order.ParentId, p => p.IsBps, StringComparer.Ordinal);
        return new Crafted("blame-excess", id => isBps[id] - mean, 0.01, isBps.Keys);
    }

    [Fact]
    public void An_attribution_that_blames_the_venue_shock_on_the_iommu_fails_the_venue_check()
    {
        var (criteria, evidence) = ConfounderSeparationDrill.JudgeVenue(Venue.Value, BlameExcess(Venue.Value));
        var share = criteria.Single(c => c.Name == VenueShare);
        Assert.False(share.Passed, share.ToString());
        Assert.True(share.Value > 0.5, share.ToString());
        Assert.Equal("blame-excess", ((Dictionary<string, object?>)evidence["venue_shock_c_iommu"]!)["method"]);
    }

    [Fact]
    public void A_zero_within_its_interval_passes_the_venue_check_and_a_resolved_small_share_does_too()
    {
        var ids = Venue.Value.Result.Parents.Select(p => p.Order.ParentId).ToArray();
        var zero = ConfounderSeparationDrill.JudgeVenue(Venue.Value, new Crafted("zero", _ => 0.02, 0.5, ids)).Criteria.Single(c => c.Name == VenueShare);
        Assert.True(zero.Passed, zero.ToString());
        Assert.Equal(0, zero.Value);
        // Resolved, but a share of the uplift below 10 %: passes with the share as its value.
        var uplift = Math.Abs(Convert.ToDouble(ConfounderSeparationDrill.JudgeVenue(Venue.Value, new Crafted("zero", _ => 0, 1, ids)).Evidence["venue_shock_is_uplift_bps"], System.Globalization.CultureInfo.InvariantCulture));
        var small = ConfounderSeparationDrill.JudgeVenue(Venue.Value, new Crafted("small", _ => 0.05 * uplift, 0.001 * uplift, ids)).Criteria.Single(c => c.Name == VenueShare);
        Assert.True(small.Passed, small.ToString());
        Assert.Equal(0.05, small.Value, 6);
    }

    [Fact]
    public void An_attribution_without_an_estimate_fails_rather_than_passing_as_zero()
    {
        var none = new Crafted("none", _ => 0, 0, []);
        var (criteria, _) = ConfounderSeparationDrill.JudgeVenue(Venue.Value, none);
        Assert.False(criteria.Single(c => c.Name == VenueShare).Passed);
    }

    [Fact]
    public void A_storm_estimate_whose_interval_covers_zero_fails_the_storm_check()
    {
        var storm = SimulatedRun.Run(ConfounderSeparationDrill.DrillSized(Scenarios.Storm, 600, 8), 3, RegimeControllerConfig.Default);
        var hit = storm.Result.Parents.Where(p => p.InStorm).ToArray();
        Assert.NotEmpty(hit);
        var truth = hit.Average(p => p.DeltaIsBps);
        var ids = storm.Result.Parents.Select(p => p.Order.ParentId).ToArray();
        // The right mean but an interval too wide to resolve it: not enough for the drill.
        var wide = ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("wide", _ => truth, 2 * Math.Abs(truth) + 1, ids)).Criteria;
        Assert.False(wide.Single(c => c.Name == "storm_c_iommu_interval_low_bps").Passed);
        Assert.True(wide.Single(c => c.Name == "storm_truth_outside_interval_bps").Passed);
        var exact = ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("exact", _ => truth, 0.1 * Math.Abs(truth), ids)).Criteria;
        Assert.Equal(truth > 0, exact.All(c => c.Passed));
        // Resolved but half the truth with a narrow interval: the interval misses the truth by 0.5·truth − 0.1·truth.
        var low = ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("half", _ => truth / 2, 0.1 * Math.Abs(truth), ids)).Criteria;
        var miss = low.Single(c => c.Name == "storm_truth_outside_interval_bps");
        Assert.False(miss.Passed);
        Assert.Equal(0.4 * Math.Abs(truth), miss.Value, 9);
    }

    [Fact]
    public void The_shipped_attribution_reads_the_day_through_ingest_features_and_fit()
    {
        var work = Directory.CreateTempSubdirectory("dmaslip-confounder-").FullName;
        try
        {
            var folder = Path.Combine(work, "recording");
            var run = SimulatedRun.Run(ConfounderSeparationDrill.DrillSized(Scenarios.VenueShock, 600, 8), 3, RegimeControllerConfig.Default, folder);
            Application.Simulate.SimulationRunner.WriteTruth(run.Result, folder);
            var day = ShippedAttributor.Instance.Attribute(run, folder, Path.Combine(work, "fit"));
            Assert.StartsWith("dmaslip fit", day.Source, StringComparison.Ordinal);
            var all = day.MeanOver(_ => true);
            Assert.NotNull(all);
            Assert.Equal(run.Result.Parents.Count, all.Parents);
            Assert.DoesNotContain("none", all.Method.Split('+'));
            Assert.True(all.LowBps <= all.MeanBps && all.MeanBps <= all.HighBps);
            Assert.Null(day.MeanOver(_ => false));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
