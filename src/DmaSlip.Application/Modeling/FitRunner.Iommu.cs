using DmaSlip.Core.Domain;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Uncertainty;
using DmaSlip.Storage;

namespace DmaSlip.Application.Modeling;

internal static partial class FitRunner
{
    /// <summary>
    /// The mean C_iommu over the parents under translation pressure (not calm-labelled) of each pool and of all pools
    /// together, with intervals (<see cref="IommuInterval"/>), into <c>iommu_estimates</c> (replacing earlier rows).
    /// Returns the "all" estimate (null without any estimated parent).
    /// </summary>
    private static FitIommu? WriteIommuEstimates(DmaSlipStore store, List<(string Pool, List<ParentRecord> Parents, PoolAttribution Attribution)> pools, long nowNs)
    {
        var rows = new List<IommuEstimateRow>();
        var parts = new List<SubsetDraws>();
        foreach (var (pool, _, attribution) in pools)
        {
            var draws = attribution.Uncertainty.Draws(attribution.Estimates.Select(e => !e.Calm).ToArray());
            parts.Add(draws);
            if (IommuInterval.Combine([draws]) is { } interval)
            {
                rows.Add(Row(pool, interval, nowNs));
            }
        }
        var all = IommuInterval.Combine(parts);
        if (all is not null)
        {
            rows.Add(Row("all", all, nowNs));
        }
        store.InTransaction(() =>
        {
            store.Execute("DELETE FROM iommu_estimates");
            if (rows.Count > 0)
            {
                store.Insert(rows);
            }
        });
        var corrections = pools.SelectMany(p => p.Attribution.Corrections.Select(c =>
            new FitLevelCorrection(p.Pool, c.Group, c.Parents, c.ShiftBps, c.StandardErrorBps, c.AppliedBps))).ToList();
        return all is null ? null : ToJson(all) with { LevelCorrections = corrections };
    }

    private static IommuEstimateRow Row(string scope, IommuInterval i, long nowNs) =>
        new(scope, nowNs, i.Parents, i.MeanBps, i.LowBps, i.HighBps, i.Method, i.Resolved, i.MdeBps, i.ParentsNeeded);

    private static FitIommu ToJson(IommuInterval i) =>
        new(i.MeanBps, [i.LowBps, i.HighBps], i.Method, i.Resolved, i.MdeBps, i.Parents, i.ParentsNeeded);

    /// <summary>The interval of the model's mean C_iommu over the parents the simulator's truth puts in a storm.</summary>
    private static IommuInterval? StormInterval(
        List<(string Pool, List<ParentRecord> Parents, PoolAttribution Attribution)> pools, Dictionary<string, TruthParent> truth) =>
        SubsetInterval(pools, id => truth.TryGetValue(id, out var t) && t.InStorm);

    /// <summary>The mean C_iommu, with its 95 % interval, over the attributed parents whose id <paramref name="member"/> selects (null when none).</summary>
    internal static IommuInterval? SubsetInterval(IReadOnlyList<(string Pool, List<ParentRecord> Parents, PoolAttribution Attribution)> pools, Func<string, bool> member) =>
        IommuInterval.Combine(pools.Select(p => p.Attribution.Uncertainty.Draws(p.Parents.Select(r => member(r.ParentId)).ToArray())).ToList());
}

/// <summary>One fit's summary and, per pool, the parents it attributed with their attribution.</summary>
internal sealed record FitResult(FitSummary Summary, IReadOnlyList<(string Pool, List<ParentRecord> Parents, PoolAttribution Attribution)> Pools)
{
    /// <summary>The fit's mean C_iommu and 95 % interval over the parents <paramref name="member"/> selects (by parent id); null when none was attributed.</summary>
    public IommuInterval? MeanOver(Func<string, bool> member) => FitRunner.SubsetInterval(Pools, member);
}
