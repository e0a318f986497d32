using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Baseline;

/// <summary>
/// The classical baseline (DESIGN §5), fitted on calm parents only, per strategy × liquidity bucket ("twap/tight"): a
/// cell with fewer than <see cref="ImpactFitter.MinObservations"/> calm parents uses its strategy's fit ("twap"), and
/// a strategy with too few the pooled fit. Algorithms differ in how much of the market's move their fills carry (a POV
/// parent finishes early), so the market-move weights need the strategy. The fill probability is evaluated at
/// the host's CALM median latency, so latency that IOMMU pressure adds is left for the overlay to explain.
/// </summary>
public sealed record BaselineStack(
    FillProbabilityModel Fill,
    IReadOnlyDictionary<string, ImpactCoefficients> Buckets,
    ImpactCoefficients Pooled,
    IReadOnlyDictionary<string, double> CalmLatencyUs,
    double PooledCalmLatencyUs)
{
    public static BaselineStack Fit(IReadOnlyList<ParentRecord> parents, IReadOnlyList<bool> calm)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(calm);
        var calmParents = parents.Where((_, i) => calm[i]).ToArray();
        var fill = FillProbabilityModel.Fit(calmParents.Select(p => (p.QueueAheadRatio, p.LatencyUs, p.PassiveFillRatio)).ToArray());
        var calmLatency = calmParents.Where(p => double.IsFinite(p.LatencyUs)).GroupBy(p => p.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Median(g.Select(p => p.LatencyUs)), StringComparer.Ordinal);
        var pooledLatency = calmParents.Any(p => double.IsFinite(p.LatencyUs))
            ? Median(calmParents.Where(p => double.IsFinite(p.LatencyUs)).Select(p => p.LatencyUs))
            : double.NaN;
        var partial = new BaselineStack(fill, new Dictionary<string, ImpactCoefficients>(), ImpactCoefficients.Prior, calmLatency, pooledLatency);
        ImpactFitter.Observation Obs(ParentRecord p) =>
            new(p.HalfSpreadBps, p.SigmaDailyBps, p.Participation, partial.FillProbability(p), p.IsBps, p.MarketMoveEarlyBps, p.MarketMoveLateBps);
        var pooled = ImpactFitter.Fit(calmParents.Select(Obs).ToArray());
        var buckets = new Dictionary<string, ImpactCoefficients>(StringComparer.Ordinal);
        foreach (var g in calmParents.GroupBy(p => p.Strategy, StringComparer.Ordinal).Where(g => g.Key.Length > 0)
            .Concat(calmParents.GroupBy(BucketKey, StringComparer.Ordinal)))
        {
            var fit = ImpactFitter.Fit(g.Select(Obs).ToArray());
            if (fit.Observations >= ImpactFitter.MinObservations)
            {
                buckets[g.Key] = fit;
            }
        }
        return partial with { Buckets = buckets, Pooled = pooled };
    }

    /// <summary>π at the host's calm latency (the pooled calm median for a host with no calm parents).</summary>
    public double FillProbability(ParentRecord p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var latency = CalmLatencyUs.TryGetValue(p.Host, out var l) ? l : PooledCalmLatencyUs;
        return Fill.Probability(p.QueueAheadRatio, latency);
    }

    public double Predict(ParentRecord p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var coef = Buckets.TryGetValue(BucketKey(p), out var c) ? c : Buckets.TryGetValue(p.Strategy, out var s) ? s : Pooled;
        return coef.Predict(p.HalfSpreadBps, p.SigmaDailyBps, p.Participation, FillProbability(p), p.MarketMoveEarlyBps, p.MarketMoveLateBps);
    }

    /// <summary>The fit cell of a parent: "strategy/liquidity" ("tight" alone when the strategy is unknown).</summary>
    public static string BucketKey(ParentRecord p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p.Strategy.Length == 0 ? p.LiquidityBucket : $"{p.Strategy}/{p.LiquidityBucket}";
    }

    internal static double Median(IEnumerable<double> values)
    {
        var a = values.ToArray();
        if (a.Length == 0)
        {
            return double.NaN;
        }
        Array.Sort(a);
        return a.Length % 2 == 1 ? a[a.Length / 2] : (a[(a.Length / 2) - 1] + a[a.Length / 2]) / 2;
    }
}
