using DmaSlip.Application.Simulate;
using DmaSlip.Core.Control;
using DmaSlip.Models.Uncertainty;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Drills;

/// <summary>
/// confounder-separation (DESIGN §8), judged on the product's own answer: each scenario is simulated into real-format
/// files under the controller, read back through ingest → features → attribute → fit (<see cref="ShippedAttributor"/>),
/// and the fit's mean C_iommu with its 95 % interval is judged. A venue-only latency shock must never drive a host to
/// FLUSH_STORM, and the IOMMU must not be blamed for it: the fit's mean C_iommu over the shock's parents ≤ 10 % of
/// their IS uplift, unless its interval covers 0 (nothing resolved). A storm-only run's C_iommu over the storm's
/// parents must be resolved (interval above 0) and its interval must cover the simulator's true uplift (the calm
/// twin's difference); the relative error is evidence (at the drill's size the interval is ±0.3–0.4 bps wide, so a
/// ±25 % bound would judge the draw, not the method: docs/CONTROLLER.md).
/// </summary>
internal sealed class ConfounderSeparationDrill(RegimeControllerConfig config, IDayAttributor? attributor = null) : IDrill
{
    /// <summary>Share of the venue shock's IS uplift that a resolved C_iommu may put on the IOMMU (the 10 %).</summary>
    public const double MaxVenueShare = 0.10;

    /// <summary>
    /// Parents per scenario, over <see cref="Minutes"/> minutes: the demo's day (Demo/Stages/SimulateStage), which the
    /// fit resolves (~460 parents in the 8-minute storm). Each day is written in real formats and read back through
    /// ingest, so the size is the drill's cost: 6 000 parents over 30 minutes took 5 min (docs/CONTROLLER.md).
    /// </summary>
    public const int ParentCount = 2_400;

    /// <summary>Minutes per scenario (storm from minute 10 for 8, venue shock from minute 10 for 6).</summary>
    public const double Minutes = 20;

    /// <summary>
    /// Symbols per scenario: a storm's cost scales with the volatility of the names it hits, and the built-in four
    /// made the day's true uplift a draw of four volatilities (0.05 bps on seed 3, 1.3 on seed 2). Thirty-two names
    /// is a desk's universe rather than a sample of it (docs/CONTROLLER.md, "confounder-separation").
    /// </summary>
    public const int SymbolCount = 32;

    private readonly IDayAttributor _attributor = attributor ?? ShippedAttributor.Instance;

    public string Name => "confounder-separation";

    internal static Scenario DrillSized(Scenario s, int parents = ParentCount, int symbols = SymbolCount, double minutes = Minutes) =>
        (s with { Execution = s.Execution with { Parents = parents }, Market = s.Market with { Symbols = symbols } }).WithMinutes(minutes);

    public string Description => "Venue-only shock: no FLUSH_STORM, fitted C_iommu ≤ 10 % of its IS uplift or not resolved; storm-only: fitted C_iommu resolved, interval covers the truth.";

    public DrillResult Run(DrillContext context)
    {
        var (venue, venueDay) = Simulate(Scenarios.VenueShock, "venue", context);
        var (storm, stormDay) = Simulate(Scenarios.Storm, "storm", context);
        var (venueCriteria, venueEvidence) = JudgeVenue(venue, venueDay);
        var (stormCriteria, stormEvidence) = JudgeStorm(storm, stormDay);
        var evidence = new Dictionary<string, object?> { ["seed"] = context.Seed };
        foreach (var kv in venueEvidence.Concat(stormEvidence))
        {
            evidence[kv.Key] = kv.Value;
        }
        return DrillResult.Of(Name, [.. venueCriteria, .. stormCriteria], evidence);
    }

    private (SimulatedRun Run, IAttributedDay Day) Simulate(Scenario scenario, string name, DrillContext context)
    {
        var dir = Path.Combine(context.WorkDir, "confounder-" + name);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        var run = SimulatedRun.Run(DrillSized(scenario), context.Seed, config, Path.Combine(dir, "recording"));
        SimulationRunner.WriteTruth(run.Result, Path.Combine(dir, "recording"));
        return (run, _attributor.Attribute(run, Path.Combine(dir, "recording"), Path.Combine(dir, "fit")));
    }

    /// <summary>
    /// The venue half: controller frames seen, no FLUSH_STORM entry, and the share of the shock parents' IS uplift
    /// (their mean IS minus the other parents') that the attribution resolves onto the IOMMU — |mean C_iommu| / |uplift|
    /// when the interval excludes 0, else 0 (an interval that covers 0 blames nothing).
    /// </summary>
    internal static (DrillCriterion[] Criteria, Dictionary<string, object?> Evidence) JudgeVenue(SimulatedRun venue, IAttributedDay day)
    {
        var shock = venue.Result.Parents.Where(p => p.InVenueShock).ToArray();
        var other = venue.Result.Parents.Where(p => !p.InVenueShock).ToArray();
        var uplift = shock.Length > 0 && other.Length > 0 ? shock.Average(p => p.IsBps) - other.Average(p => p.IsBps) : double.NaN;
        var ids = shock.Select(p => p.Order.ParentId).ToHashSet(StringComparer.Ordinal);
        var estimate = day.MeanOver(ids.Contains);
        var share = estimate is null ? double.NaN : Math.Abs(estimate.MeanBps) / Math.Abs(uplift);
        var blamed = estimate is null ? double.NaN : estimate.Resolved ? share : 0;
        var criteria = new[]
        {
            DrillCriterion.Check("venue_frames_seen_by_controller", venue.FramesSeen, CriterionOp.Above, 0),
            DrillCriterion.Check("venue_flush_storm_entries", venue.StormEntries, CriterionOp.AtMost, 0),
            DrillCriterion.Check("venue_c_iommu_resolved_share_of_is_uplift", blamed, CriterionOp.AtMost, MaxVenueShare),
        };
        var evidence = new Dictionary<string, object?>
        {
            ["venue_attribution"] = day.Source,
            ["venue_shock_parents"] = shock.Length,
            ["venue_shock_is_uplift_bps"] = uplift,
            ["venue_shock_c_iommu"] = Json(estimate),
            ["venue_shock_c_iommu_share_of_uplift"] = share,
            // The same day's parents outside the shock: the fit's C_iommu level where no shock confounds it.
            ["venue_other_c_iommu"] = Json(day.MeanOver(id => !ids.Contains(id))),
            ["venue_transitions_total"] = venue.Provider.Traces.Values.Sum(t => t.Changes.Count),
            ["venue_transitions_first"] = venue.Provider.Traces.Values.SelectMany(t => t.Changes.Select(c => $"{t.Host} {c.From}->{c.To} {c.Reason}")).Take(20).ToArray(),
        };
        return (criteria, evidence);
    }

    /// <summary>
    /// The storm half: the attribution's mean C_iommu over the parents the simulator's truth puts in the storm must be
    /// resolved above 0 (its interval's low end &gt; 0) and its interval must cover their true mean uplift: the
    /// distance from the truth to the nearer end, negative inside (≤ 0 passes).
    /// </summary>
    internal static (DrillCriterion[] Criteria, Dictionary<string, object?> Evidence) JudgeStorm(SimulatedRun storm, IAttributedDay day)
    {
        var hit = storm.Result.Parents.Where(p => p.InStorm).ToArray();
        var truth = hit.Length > 0 ? hit.Average(p => p.DeltaIsBps) : double.NaN;
        var ids = hit.Select(p => p.Order.ParentId).ToHashSet(StringComparer.Ordinal);
        var estimate = day.MeanOver(ids.Contains);
        var relError = estimate is null ? double.NaN : Math.Abs(estimate.MeanBps - truth) / Math.Abs(truth);
        var outside = estimate is null ? double.NaN : Math.Max(estimate.LowBps - truth, truth - estimate.HighBps);
        var criteria = new[]
        {
            DrillCriterion.Check("storm_c_iommu_interval_low_bps", estimate?.LowBps ?? double.NaN, CriterionOp.Above, 0),
            DrillCriterion.Check("storm_truth_outside_interval_bps", outside, CriterionOp.AtMost, 0),
        };
        var evidence = new Dictionary<string, object?>
        {
            ["storm_attribution"] = day.Source,
            ["storm_parents"] = hit.Length,
            ["storm_true_uplift_bps"] = truth,
            ["storm_c_iommu"] = Json(estimate),
            ["storm_c_iommu_relative_error"] = relError,
            ["storm_flush_storm_entries"] = storm.StormEntries,
        };
        return (criteria, evidence);
    }

    private static Dictionary<string, object?>? Json(IommuInterval? i) => i is null ? null : new Dictionary<string, object?>
    {
        ["mean_bps"] = i.MeanBps,
        ["interval_bps"] = new[] { i.LowBps, i.HighBps },
        ["method"] = i.Method,
        ["resolved"] = i.Resolved,
        ["parents"] = i.Parents,
    };
}
