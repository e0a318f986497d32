using DmaSlip.Application.Drills;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;

namespace DmaSlip.Application.Advice;

/// <summary>The latest model artifact's data span and the host fingerprints it was fitted on.</summary>
internal sealed record ModelFacts(string ModelId, long DataToNs, string Fingerprints);

/// <summary>Everything <see cref="AdviceEngine"/> reads, loaded once from the store.</summary>
internal sealed record AdviceInputs(
    IReadOnlyList<HostFacts> Hosts,
    IReadOnlyList<ParentFacts> Parents,
    IReadOnlyDictionary<string, (long[] SendTs, double[] Rtt)> RoundTrips,
    IReadOnlyDictionary<string, (long[] Sends, long[] Retries)> Traffic,
    ModelFacts? LatestModel);

/// <summary>
/// The mitigation ladder and anti-pattern checks of DESIGN §9, as pure functions of stored facts
/// (docs/CONTROLLER.md "Advice" gives each rule, threshold and gain formula).
/// </summary>
internal static partial class AdviceEngine
{
    /// <summary>A host churns when its median unmap rate is at least this multiple of the storm-free hosts' median.</summary>
    public const double ChurnFactor = 1.5;

    /// <summary>Unmap rate (per s, per queue) counted as churn when no storm-free host exists to compare with.</summary>
    public const double ChurnAbsoluteUnmapsPerSecond = 1000;

    /// <summary>Share of NIC buffers on the NIC's NUMA node below which a host is misplaced.</summary>
    public const double LocalShareFloor = 0.9;

    /// <summary>Average RTT "looks normal" when its storm/calm ratio is at most this...</summary>
    public const double MeanRttNormalRatio = 1.25;

    /// <summary>...while the p99 ratio is at least this.</summary>
    public const double TailRttRatio = 2.0;

    /// <summary>Retries per send in storms at least this multiple of calm, and at least <see cref="RetryPerSendFloor"/>.</summary>
    public const double RetryAmplificationRatio = 1.5;

    public const double RetryPerSendFloor = 0.3;

    /// <summary>Fewest samples on each side of a storm/calm comparison before it is reported.</summary>
    public const int MinSamples = 20;

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
        var churn = ChurnHosts(inputs.Hosts);
        var mitigations = new List<Mitigation>();
        mitigations.AddRange(ChurnReduction(inputs, churn));
        mitigations.AddRange(Locality(inputs));
        mitigations.AddRange(BurstContainment(inputs));
        mitigations.AddRange(Routing(inputs));
        mitigations.AddRange(Recalibration(inputs));
        var ranked = mitigations
            .OrderByDescending(m => m.ExpectedGainBps ?? double.NegativeInfinity)
            .ThenBy(m => MitigationKinds.Order(m.Kind))
            .Select((m, i) => m with { Rank = i + 1 })
            .ToArray();

        var findings = new List<Finding>();
        findings.AddRange(PassthroughWithoutReview(inputs.Hosts));
        findings.AddRange(ChurnIgnored(churn));
        findings.AddRange(AverageRttOnly(inputs));
        findings.AddRange(RetryAmplification(inputs));
        return new AdviceReport(ranked, findings, notes);
    }

    /// <summary>Hosts whose unmap churn stands out (translation on, storms seen, unmap rate well above storm-free peers).</summary>
    internal static IReadOnlyList<HostFacts> ChurnHosts(IReadOnlyList<HostFacts> hosts)
    {
        var calm = hosts.Where(h => h.Storms == 0 && h.Frames > 0).Select(h => h.UnmapRate).ToArray();
        var reference = calm.Length > 0 ? PairedBootstrap.Quantile(calm, 0.5) : double.NaN;
        return hosts.Where(h => h.Mode != IommuMode.Passthrough && h.Storms > 0 && h.Frames > 0
            && (double.IsNaN(reference) ? h.UnmapRate >= ChurnAbsoluteUnmapsPerSecond : h.UnmapRate >= ChurnFactor * reference)).ToArray();
    }

    /// <summary>
    /// A pool's IOMMU uplift per parent (bps, averaged over all its parents): the mean C_iommu where models exist,
    /// else (mean IS under pressure − mean IS in calm) × share of parents under pressure. Null when not computable.
    /// </summary>
    internal static double? PoolUplift(IReadOnlyList<ParentFacts> parents)
    {
        var withModel = parents.Where(p => p.CIommuBps is not null).ToArray();
        if (withModel.Length > 0)
        {
            return withModel.Average(p => p.CIommuBps!.Value);
        }
        var pressure = parents.Where(p => IsPressure(p.PressureBucket)).ToArray();
        var calm = parents.Where(p => PressureBuckets.IsCalm(p.PressureBucket)).ToArray();
        if (pressure.Length == 0 || calm.Length == 0)
        {
            return null;
        }
        return (pressure.Average(p => p.IsBps) - calm.Average(p => p.IsBps)) * pressure.Length / parents.Count;
    }

    /// <summary>Tail excess: (q95 IS under pressure − q95 IS in calm) × share under pressure; null when not computable.</summary>
    internal static double? PoolTailExcess(IReadOnlyList<ParentFacts> parents)
    {
        var pressure = parents.Where(p => IsPressure(p.PressureBucket)).Select(p => p.IsBps).ToArray();
        var calm = parents.Where(p => PressureBuckets.IsCalm(p.PressureBucket)).Select(p => p.IsBps).ToArray();
        if (pressure.Length == 0 || calm.Length == 0)
        {
            return null;
        }
        return (PairedBootstrap.Quantile(pressure, 0.95) - PairedBootstrap.Quantile(calm, 0.95)) * pressure.Length / parents.Count;
    }

    internal static bool IsPressure(string bucket) => PressureBuckets.IsPressure(bucket);

    private static double? Positive(double? v) => v is { } x ? Math.Max(0, x) : null;

    private static double Round(double v) => Math.Round(v, 3);
}
