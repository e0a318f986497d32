using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Metrics;

/// <summary>Per-window desk metrics of one host frame with its group values.</summary>
public readonly record struct WindowFact(DimensionValues Dims, double? Dfi, double? Djs, double? Pso);

/// <summary>A parent outcome with its target quantity and group values.</summary>
public readonly record struct ParentFact(DimensionValues Dims, ParentOutcome Outcome, long TargetQty);

/// <summary>One row of <c>dmaslip metrics</c>: group values and the desk metrics of the group.</summary>
public sealed record MetricsRow(
    IReadOnlyDictionary<string, string> Group,
    double? Dfi,
    double? Djs,
    double? Pso,
    double? QdlBps,
    double? IulMeanBps,
    double? IulQ95Bps,
    long Windows,
    long Parents,
    double? CompletionDeficit,
    long PressureParents,
    long UnmatchedPressureParents);

/// <summary>
/// Desk metrics by group (DESIGN §4.5, docs/METRICS.md "Desk metrics by group"). Window metrics (DFI, DJS, PSO) are
/// means over the group's host windows; windows serve every symbol, so the liquidity dimension does not split them:
/// a (…, liquidity bucket) row carries the window metrics of all its other dimensions' windows.
/// Parent metrics compare the group's pressure parents (bucket high/storm) with calm parents (bucket calm) of the
/// same stratum (symbol × liquidity bucket × session segment), drawn from all groups:
/// QDL = mean over matched pressure parents of (calm stratum mean PQ − PQ_i), PQ = passive fill ratio × 1 s markout;
/// IUL_i = IS_i − baseline_i with baseline_i the model's baseline IS when present, else the calm stratum mean IS;
/// completion deficit = mean (Q − X)/Q of pressure parents − calm stratum mean.
/// </summary>
public static class DeskMetricsTable
{
    public static IReadOnlyList<MetricsRow> Compute(IReadOnlyList<Dimension> by, IEnumerable<WindowFact> windows, IReadOnlyList<ParentFact> parents)
    {
        var calm = CalmStrata(parents);
        var groups = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        Accumulator For(DimensionValues d, bool window)
        {
            var key = string.Join('\u001f', by.Select(x => window && x == Dimension.Liquidity ? "*" : d.Get(x)));
            if (!groups.TryGetValue(key, out var acc))
            {
                acc = new Accumulator(by.ToDictionary(x => x.ToString().ToLowerInvariant(), x => window && x == Dimension.Liquidity ? "*" : d.Get(x)));
                groups.Add(key, acc);
            }
            return acc;
        }
        foreach (var w in windows)
        {
            var acc = For(w.Dims, window: true);
            acc.Windows++;
            if (w.Dfi is { } dfi)
            {
                acc.Dfi.Add(dfi);
            }
            if (w.Djs is { } djs)
            {
                acc.Djs.Add(djs);
            }
            if (w.Pso is { } pso)
            {
                acc.Pso.Add(pso);
            }
        }
        foreach (var p in parents)
        {
            var acc = For(p.Dims, window: false);
            acc.Parents++;
            if (!p.Outcome.PressureBucket.IsPressure())
            {
                continue;
            }
            acc.PressureParents++;
            if (!calm.TryGetValue(Stratum(p), out var c))
            {
                acc.Unmatched++;
                if (p.Outcome.BaselineIsBps is { } b)
                {
                    acc.Iul.Add(p.Outcome.IsBps - b);
                }
                continue;
            }
            acc.Iul.Add(p.Outcome.IsBps - (p.Outcome.BaselineIsBps ?? c.MeanIs));
            if (PassiveQuality(p.Outcome) is { } pq && c.MeanPq is { } calmPq)
            {
                acc.Qdl.Add(calmPq - pq);
            }
            acc.Deficit.Add(Deficit(p) - c.MeanDeficit);
        }
        var rows = groups.Values.Select(a => a.ToRow()).ToList();
        return by.Contains(Dimension.Liquidity) ? AttachWindowsToLiquidityGroups(rows) : rows;
    }

    /// <summary>
    /// With a liquidity dimension, host windows sit in "*" groups; each parent group (pool, …, bucket) takes the window
    /// metrics of its "*" sibling, and a "*" row stays only when no bucket row took it.
    /// </summary>
    private static List<MetricsRow> AttachWindowsToLiquidityGroups(List<MetricsRow> rows)
    {
        static string Key(MetricsRow r) => string.Join('\u001f', r.Group.Where(kv => kv.Key != "liquidity").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value));
        var star = rows.Where(r => r.Group["liquidity"] == "*").ToDictionary(Key, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MetricsRow>();
        foreach (var r in rows.Where(r => r.Group["liquidity"] != "*"))
        {
            if (star.TryGetValue(Key(r), out var w))
            {
                used.Add(Key(r));
                result.Add(r with { Dfi = w.Dfi, Djs = w.Djs, Pso = w.Pso, Windows = w.Windows });
            }
            else
            {
                result.Add(r);
            }
        }
        result.AddRange(star.Where(kv => !used.Contains(kv.Key)).Select(kv => kv.Value));
        return [.. result.OrderBy(r => string.Join('\u001f', r.Group.Values), StringComparer.Ordinal)];
    }

    /// <summary>PQ = passive fill ratio × 1 s markout (bps); null when either is unknown.</summary>
    public static double? PassiveQuality(ParentOutcome o) => o.PassiveFillRatio * o.Markout1sBps;

    private static double Deficit(ParentFact p) => p.TargetQty <= 0 ? 0 : (p.TargetQty - p.Outcome.ExecutedQty) / (double)p.TargetQty;

    private static string Stratum(ParentFact p) => $"{p.Outcome.Symbol}\u001f{p.Outcome.LiquidityBucket}\u001f{p.Outcome.SessionSegment}";

    private static Dictionary<string, (double MeanIs, double? MeanPq, double MeanDeficit)> CalmStrata(IReadOnlyList<ParentFact> parents) =>
        parents.Where(p => p.Outcome.PressureBucket == PressureBucket.Calm)
            .GroupBy(Stratum, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g =>
            {
                var pqs = g.Select(p => PassiveQuality(p.Outcome)).Where(v => v.HasValue).Select(v => v!.Value).ToList();
                return (g.Average(p => p.Outcome.IsBps), pqs.Count == 0 ? (double?)null : pqs.Average(), g.Average(Deficit));
            }, StringComparer.Ordinal);

    private sealed class Accumulator(Dictionary<string, string> group)
    {
        public readonly List<double> Dfi = [];
        public readonly List<double> Djs = [];
        public readonly List<double> Pso = [];
        public readonly List<double> Qdl = [];
        public readonly List<double> Iul = [];
        public readonly List<double> Deficit = [];
        public long Windows;
        public long Parents;
        public long PressureParents;
        public long Unmatched;

        public MetricsRow ToRow()
        {
            double? iulQ95 = null;
            if (Iul.Count > 0)
            {
                var sorted = Iul.ToArray();
                Array.Sort(sorted);
                iulQ95 = ExactQuantile.OfSorted(sorted, 0.95);
            }
            return new MetricsRow(group, Mean(Dfi), Mean(Djs), Mean(Pso), Mean(Qdl), Mean(Iul), iulQ95, Windows, Parents, Mean(Deficit), PressureParents, Unmatched);
        }

        private static double? Mean(List<double> v) => v.Count == 0 ? null : v.Average();
    }
}
