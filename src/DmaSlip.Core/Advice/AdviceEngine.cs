namespace DmaSlip.Core.Advice;

/// <summary>
/// The mitigation ladder and anti-pattern checks of DESIGN §9 over stored facts: runs every rule and detector, ranks
/// the mitigations by expected gain (ties: the ladder's order) and says what the data cannot price
/// (docs/CONTROLLER.md "Advice" gives each rule, threshold and gain formula).
/// </summary>
public static class AdviceEngine
{
    /// <summary>The rules, in the playbook's order.</summary>
    internal static IReadOnlyList<IMitigationRule> Ladder { get; } =
        [new ChurnReductionRule(), new LocalityRule(), new BurstContainmentRule(), new RoutingRule(), new RecalibrationRule()];

    internal static IReadOnlyList<IAntiPatternDetector> Detectors { get; } =
        [new PassthroughWithoutReviewDetector(), new ChurnIgnoredDetector(), new AverageRttOnlyDetector(), new RetryAmplificationDetector()];

    public static AdviceReport Compute(AdviceInputs inputs)
    {
        var notes = new List<string>();
        if (inputs.Hosts.Count == 0)
        {
            notes.Add("no hosts or host frames stored: nothing to advise on (run ingest or simulate first)");
        }
        if (inputs.Parents.Count == 0)
        {
            notes.Add("no parent_outcomes stored: expected gains in bps cannot be priced (run attribute first)");
        }
        else if (inputs.Parents.All(p => p.CIommuBps is null))
        {
            notes.Add("no C_iommu estimates (models not fitted): gains use the pressure-vs-calm IS difference within each pool");
        }
        var ranked = Ladder.SelectMany(r => r.Propose(inputs))
            .OrderByDescending(m => m.ExpectedGainBps ?? double.NegativeInfinity)
            .ThenBy(m => MitigationKinds.Order(m.Kind))
            .Select((m, i) => m with { Rank = i + 1 })
            .ToArray();
        var findings = Detectors.SelectMany(d => d.Detect(inputs)).ToArray();
        return new AdviceReport(ranked, findings, notes);
    }
}
