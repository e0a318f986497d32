namespace DmaSlip.Core.Advice;

/// <summary>
/// One rung of the mitigation ladder (DESIGN §9) for the hosts/pools it names, with its expected gain in bps per
/// parent order and how that gain was derived. Null gain: the data to price it is missing (said in the basis).
/// </summary>
public sealed record Mitigation(
    int Rank,
    string Kind,
    string Title,
    IReadOnlyList<string> Pools,
    IReadOnlyList<string> Hosts,
    double? ExpectedGainBps,
    string GainBasis,
    IReadOnlyDictionary<string, object?> Evidence);

/// <summary>An anti-pattern found in the stored data, naming the hosts and the numbers behind it.</summary>
public sealed record Finding(string Kind, string Severity, IReadOnlyList<string> Hosts, string Message, IReadOnlyDictionary<string, object?> Evidence);

/// <summary>The answer of <c>dmaslip advise</c>.</summary>
public sealed record AdviceReport(IReadOnlyList<Mitigation> Mitigations, IReadOnlyList<Finding> AntiPatterns, IReadOnlyList<string> Notes);

/// <summary>Mitigation kinds, in the playbook's order (the tie-break of the ranking).</summary>
internal static class MitigationKinds
{
    public const string ChurnReduction = "mapping_churn_reduction";
    public const string Locality = "numa_queue_locality";
    public const string BurstContainment = "burst_containment_policy";
    public const string Routing = "topology_aware_routing";
    public const string Recalibration = "change_aware_recalibration";

    public static int Order(string kind) => kind switch
    {
        ChurnReduction => 0,
        Locality => 1,
        BurstContainment => 2,
        Routing => 3,
        _ => 4,
    };
}

/// <summary>Anti-pattern kinds (DESIGN §9).</summary>
internal static class AntiPatternKinds
{
    public const string AverageRttOnly = "average_rtt_normal_tail_not";
    public const string ChurnIgnored = "map_unmap_churn_ignored";
    public const string PassthroughUnreviewed = "iommu_passthrough_without_security_review";
    public const string RetryAmplification = "retry_heavy_logic_amplifying_pso";
}
