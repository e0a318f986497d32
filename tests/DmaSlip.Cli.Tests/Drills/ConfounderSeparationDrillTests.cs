using DmaSlip.Application.Drills;
using DmaSlip.Core.Control;
using DmaSlip.Models.Uncertainty;
using DmaSlip.Simulation;

namespace DmaSlip.Cli.Tests.Drills;

/// <summary>
/// confounder-separation's judgement of an attribution: the venue check compares the shock's parents with the day's
/// other calm parents, so it fails when an estimator blames the venue shock on the IOMMU, and passes on a day-wide level
/// or an estimate that is 0 within its interval; the storm check (the positive control) fails when the storm's interval
/// misses the truth or is wider than ±1 bps. The shipped attribution itself runs on a small day (ingest → features → fit).
/// </summary>
public sealed class ConfounderSeparationDrillTests
{
    private const string VenueShare = "venue_c_iommu_resolved_share_of_is_uplift";

    // The drill's day, small (600 parents, 8 names): a venue shock (minutes 4–8), then a storm on pool-b (10–18).
    private static readonly Lazy<SimulatedRun> Day = new(() =>
        SimulatedRun.Run(ConfounderSeparationDrill.Day(600, 8), 3, RegimeControllerConfig.Default));

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

    private static string[] Ids => Day.Value.Result.Parents.Select(p => p.Order.ParentId).ToArray();

    private static HashSet<string> ShockIds => Day.Value.Result.Parents.Where(p => p.InVenueShock && !p.InStorm).Select(p => p.Order.ParentId).ToHashSet(StringComparer.Ordinal);

    private static double Uplift => Math.Abs(Convert.ToDouble(
        ConfounderSeparationDrill.JudgeVenue(Day.Value, new Crafted("zero", _ => 0, 1, Ids)).Evidence["venue_shock_is_uplift_bps"], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The broken estimator: charges every parent its IS above the day's mean to the IOMMU (no confounder separation).</summary>
    private static Crafted BlameExcess(SimulatedRun run)
    {
        var mean = run.Result.Parents.Average(p => p.IsBps);
        var isBps = run.Result.Parents.ToDictionary(p => p.Order.ParentId, p => p.IsBps, StringComparer.Ordinal);
        return new Crafted("blame-excess", id => isBps[id] - mean, 1e-6, isBps.Keys);
    }

    [Fact]
    public void The_day_has_a_venue_shock_apart_from_the_storm()
    {
        var parents = Day.Value.Result.Parents;
        Assert.True(parents.Count(p => p.InVenueShock && !p.InStorm) >= 50);
        Assert.True(parents.Count(p => p.InStorm) >= 50);
        Assert.True(parents.Count(p => !p.InVenueShock && !p.InStorm) >= 50);
        Assert.Equal(2, Day.Value.Result.Hosts.Count);
    }

    [Fact]
    public void An_attribution_that_blames_the_venue_shock_on_the_iommu_fails_the_venue_check()
    {
        var (criteria, evidence) = ConfounderSeparationDrill.JudgeVenue(Day.Value, BlameExcess(Day.Value));
        var share = criteria.Single(c => c.Name == VenueShare);
        Assert.False(share.Passed, share.ToString());
        // Inside minus outside of (IS − day mean) is exactly the uplift: the whole of it is blamed on the IOMMU.
        Assert.Equal(1, share.Value, 9);
        Assert.Equal("blame-excess", ((Dictionary<string, object?>)evidence["venue_shock_c_iommu"]!)["method"]);
    }

    [Fact]
    public void A_day_wide_level_is_not_blamed_on_the_venue_shock_but_a_level_plus_a_shock_share_is()
    {
        // Seed 1's case: the same resolved 0.04 bps inside and outside the shock; the difference is 0, not resolved.
        var level = ConfounderSeparationDrill.JudgeVenue(Day.Value, new Crafted("level", _ => 0.04, 0.01, Ids));
        var levelShare = level.Criteria.Single(c => c.Name == VenueShare);
        Assert.True(levelShare.Passed, levelShare.ToString());
        Assert.Equal(0, levelShare.Value);
        Assert.True(((Dictionary<string, object?>)level.Evidence["venue_shock_c_iommu"]!)["resolved"] is true);
        // The level plus half the uplift on the shock's parents only: share 0.5, fails; plus 5 %: passes at 0.05.
        var shock = ShockIds;
        var u = Uplift;
        var half = ConfounderSeparationDrill.JudgeVenue(Day.Value, new Crafted("half", id => 0.04 + (shock.Contains(id) ? 0.5 * u : 0), 0.001 * u, Ids)).Criteria.Single(c => c.Name == VenueShare);
        Assert.False(half.Passed, half.ToString());
        Assert.Equal(0.5, half.Value, 6);
        var small = ConfounderSeparationDrill.JudgeVenue(Day.Value, new Crafted("small", id => 0.04 + (shock.Contains(id) ? 0.05 * u : 0), 0.001 * u, Ids)).Criteria.Single(c => c.Name == VenueShare);
        Assert.True(small.Passed, small.ToString());
        Assert.Equal(0.05, small.Value, 6);
        // A difference inside an interval that covers 0 blames nothing.
        var wide = ConfounderSeparationDrill.JudgeVenue(Day.Value, new Crafted("wide", id => shock.Contains(id) ? 0.5 * u : 0, 2 * u, Ids)).Criteria.Single(c => c.Name == VenueShare);
        Assert.True(wide.Passed, wide.ToString());
        Assert.Equal(0, wide.Value);
    }

    [Fact]
    public void The_difference_of_two_means_has_the_interval_of_independent_standard_errors()
    {
        // inside 1.0 [0.5, 1.5]: se = 0.5/z; outside 0.2 [0.0, 0.4]: se = 0.2/z; d = 0.8 ± z·√(0.25 + 0.04)/z = ± 0.538516.
        var d = ConfounderSeparationDrill.Difference(new IommuInterval(1.0, 0.5, 1.5, "overlay", 10), new IommuInterval(0.2, 0.0, 0.4, "overlay", 30));
        Assert.Equal(0.8, d.MeanBps, 12);
        Assert.Equal(0.8 - 0.5385164807, d.LowBps, 9);
        Assert.Equal(0.8 + 0.5385164807, d.HighBps, 9);
        Assert.Equal(40, d.Parents);
        Assert.True(d.Resolved);
        Assert.Equal("overlay vs matched-windows", ConfounderSeparationDrill.Difference(new IommuInterval(0, -1, 1, "overlay", 1), new IommuInterval(0, -1, 1, "matched-windows", 1)).Method);
    }

    [Fact]
    public void An_attribution_without_an_estimate_fails_rather_than_passing_as_zero()
    {
        var none = new Crafted("none", _ => 0, 0, []);
        var (criteria, _) = ConfounderSeparationDrill.JudgeVenue(Day.Value, none);
        Assert.False(criteria.Single(c => c.Name == VenueShare).Passed);
    }

    [Fact]
    public void Flush_storm_entries_count_against_the_venue_only_while_the_shock_is_on()
    {
        var run = Day.Value;
        Assert.True(run.StormEntries > 0, "the storm drives the controller to FLUSH_STORM");
        Assert.Equal(0, ConfounderSeparationDrill.StormEntriesDuringShock(run));
        // The same trace judged as if the shock had been on during the storm: its entries count.
        var over = run with { Scenario = run.Scenario with { VenueShocks = [ConfounderSeparationDrill.Shock with { StartMinute = 10, DurationMinutes = 8 }] } };
        Assert.Equal(run.StormEntries, ConfounderSeparationDrill.StormEntriesDuringShock(over));
    }

    [Fact]
    public void A_storm_estimate_too_wide_to_see_a_storm_or_missing_it_fails_the_storm_check()
    {
        var storm = Day.Value;
        var hit = storm.Result.Parents.Where(p => p.InStorm).ToArray();
        Assert.NotEmpty(hit);
        var truth = hit.Average(p => p.DeltaIsBps);
        // The right mean but ± 1.5 bps: covers the truth, could not resolve a 1 bps storm; fails on the width alone.
        var wide = ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("wide", _ => truth, 1.5, Ids)).Criteria;
        Assert.True(wide.Single(c => c.Name == "storm_truth_outside_interval_bps").Passed);
        var width = wide.Single(c => c.Name == "storm_interval_half_width_bps");
        Assert.False(width.Passed);
        Assert.Equal(1.5, width.Value, 9);
        // A blind attribution: 0 within [0, 0] misses the truth (unless the day's storm cost exactly nothing).
        var blind = ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("calm-hurdle", _ => 0, 0, Ids)).Criteria;
        Assert.False(blind.Single(c => c.Name == "storm_truth_outside_interval_bps").Passed);
        // Centred on the truth, ± 1 bps: passes.
        Assert.All(ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("exact", _ => truth, 1.0, Ids)).Criteria, c => Assert.True(c.Passed, c.ToString()));
        // Truth + 0.5 bps, ± 0.1: misses the truth by 0.4 bps.
        var high = ConfounderSeparationDrill.JudgeStorm(storm, new Crafted("high", _ => truth + 0.5, 0.1, Ids)).Criteria;
        var miss = high.Single(c => c.Name == "storm_truth_outside_interval_bps");
        Assert.False(miss.Passed);
        Assert.Equal(0.4, miss.Value, 9);
    }

    [Fact]
    public void The_shipped_attribution_reads_the_day_through_ingest_features_and_fit()
    {
        var work = Directory.CreateTempSubdirectory("dmaslip-confounder-").FullName;
        try
        {
            var folder = Path.Combine(work, "recording");
            var run = SimulatedRun.Run(ConfounderSeparationDrill.Day(600, 8), 3, RegimeControllerConfig.Default, folder);
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
