using DmaSlip.Core.Control;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Drills;

/// <summary>
/// confounder-separation (DESIGN §8): a venue-only latency shock must never drive a host to FLUSH_STORM and must
/// not be attributed to the IOMMU (attributed C_iommu ≤ 10 % of the shock's IS uplift; the issue allowed 25 % until
/// the models issue landed); a storm-only run must be attributed within ±25 % of the simulator's true uplift (the
/// calm twin's difference).
/// </summary>
internal sealed class ConfounderSeparationDrill(RegimeControllerConfig config) : IDrill
{
    /// <summary>Share of the venue shock's IS uplift that may be attributed to the IOMMU (the 10 %, in force since the models issue landed).</summary>
    public const double MaxVenueShare = 0.10;

    public const double MaxStormRelativeError = 0.25;

    /// <summary>Parents per scenario: thirty times the built-in 200, so the 8-minute storm catches ~1 100 and their mean uplift (0.3–0.9 bps by seed) is resolved to ~0.1 bps.</summary>
    public const int ParentCount = 6000;

    /// <summary>
    /// Symbols per scenario: a storm's cost scales with the volatility of the names it hits, and the built-in four
    /// made the day's true uplift a draw of four volatilities (0.05 bps on seed 3, 1.3 on seed 2). Thirty-two names
    /// is a desk's universe rather than a sample of it (docs/CONTROLLER.md, "confounder-separation").
    /// </summary>
    public const int SymbolCount = 32;

    public string Name => "confounder-separation";

    private static Scenario DrillSized(Scenario s) => s with { Execution = s.Execution with { Parents = ParentCount }, Market = s.Market with { Symbols = SymbolCount } };

    public string Description => "Venue-only shock: no FLUSH_STORM, C_iommu ≤ 10 % of its IS uplift; storm-only: C_iommu within ±25 % of truth.";

    public DrillResult Run(DrillContext context)
    {
        var venue = SimulatedRun.Run(DrillSized(Scenarios.VenueShock), context.Seed, config);
        var storm = SimulatedRun.Run(DrillSized(Scenarios.Storm), context.Seed, config);

        var attrVenue = venue.AttributedIommuBps();
        var shock = venue.Result.Parents.Where(p => p.InVenueShock).ToArray();
        var other = venue.Result.Parents.Where(p => !p.InVenueShock).ToArray();
        var uplift = shock.Length > 0 && other.Length > 0 ? shock.Average(p => p.IsBps) - other.Average(p => p.IsBps) : double.NaN;
        var attributedShock = shock.Length > 0 ? shock.Average(p => attrVenue[p.Order.ParentId]) : double.NaN;
        var share = Math.Abs(attributedShock) / Math.Abs(uplift);

        var attrStorm = storm.AttributedIommuBps();
        var hit = storm.Result.Parents.Where(p => p.InStorm).ToArray();
        var truth = hit.Length > 0 ? hit.Average(p => p.DeltaIsBps) : double.NaN;
        var attributed = hit.Length > 0 ? hit.Average(p => attrStorm[p.Order.ParentId]) : double.NaN;
        var relError = Math.Abs(attributed - truth) / Math.Abs(truth);

        var criteria = new[]
        {
            DrillCriterion.Check("venue_frames_seen_by_controller", venue.FramesSeen, CriterionOp.Above, 0),
            DrillCriterion.Check("venue_flush_storm_entries", venue.StormEntries, CriterionOp.AtMost, 0),
            DrillCriterion.Check("venue_c_iommu_share_of_is_uplift", share, CriterionOp.AtMost, MaxVenueShare),
            DrillCriterion.Check("storm_c_iommu_relative_error", relError, CriterionOp.AtMost, MaxStormRelativeError),
        };
        var evidence = new Dictionary<string, object?>
        {
            ["seed"] = context.Seed,
            ["attribution"] = "market-adjusted pressure-bucket estimate (IS of high/storm-bucket parents minus the calm-bucket parents' least-squares expectation from the side-signed market move over each half of the scheduled horizon, urgency and half-spread, per strategy): the drill runs one simulated day per scenario, and the LightGBM overlay needs a fitted model of the pool on other days (dmaslip fit); venue threshold 10 % (the overlay's own venue share on simulated days is ≤ 0.5 %, docs/MODELS.md)",
            ["venue_shock_parents"] = shock.Length,
            ["venue_shock_is_uplift_bps"] = uplift,
            ["venue_shock_attributed_c_iommu_bps"] = attributedShock,
            ["venue_transitions_total"] = venue.Provider.Traces.Values.Sum(t => t.Changes.Count),
            ["venue_transitions_first"] = venue.Provider.Traces.Values.SelectMany(t => t.Changes.Select(c => $"{t.Host} {c.From}->{c.To} {c.Reason}")).Take(20).ToArray(),
            ["storm_parents"] = hit.Length,
            ["storm_true_uplift_bps"] = truth,
            ["storm_attributed_c_iommu_bps"] = attributed,
            ["storm_flush_storm_entries"] = storm.StormEntries,
        };
        return DrillResult.Of(Name, criteria, evidence);
    }
}
