using DmaSlip.Core.Attribution;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Application.Modeling;
using DmaSlip.Models.Features;
using MathNet.Numerics.LinearAlgebra;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Drills;

/// <summary>A simulator run driven by the regime controller, with the controller's trace per host.</summary>
internal sealed record SimulatedRun(Scenario Scenario, SimulationResult Result, ControllerPolicyProvider Provider)
{
    /// <summary>Calibration span of each host's DFI baseline (storms in the built-in scenarios start later).</summary>
    public static readonly long CalibrationNs = 3 * Time.NanosPerMinute;

    public static SimulatedRun Run(Scenario scenario, int seed, RegimeControllerConfig config, string? outputDir = null)
    {
        var provider = new ControllerPolicyProvider(config, BaselinePolicy.WarmUpFor(CalibrationNs));
        var result = Simulator.Run(scenario, seed, new SimulationOptions { Policy = provider, OutputDir = outputDir });
        return new SimulatedRun(scenario, result, provider);
    }

    public int FramesSeen => Provider.Traces.Values.Sum(t => t.Windows.Count);

    public int StormEntries => Provider.Traces.Values.Sum(t => t.Changes.Count(c => c.To == Regime.FlushStorm && c.From == Regime.PressureWatch));

    /// <summary>Mean DFI of the host's windows over [from, to]; null without windows.</summary>
    public double? MeanDfi(string host, long from, long to)
    {
        if (!Provider.Traces.TryGetValue(host, out var t))
        {
            return null;
        }
        double sum = 0;
        var n = 0;
        foreach (var (ts, s) in t.Windows)
        {
            if (ts > from && ts <= to + 100 * Time.NanosPerMilli)
            {
                sum += s.Dfi;
                n++;
            }
        }
        return n > 0 ? sum / n : null;
    }

    /// <summary>
    /// Attributed IOMMU uplift per parent without a fitted overlay (the drills simulate one day per scenario; the
    /// LightGBM overlay needs a fitted pool model): parents whose host's mean DFI over their life puts them in a
    /// pressure bucket (high/storm, Core.Attribution PressureBuckets) are charged their IS minus a market-adjusted
    /// calm expectation; others 0. The expectation is the baseline stack's market term (docs/MODELS.md) plus urgency
    /// and spread: per strategy, IS = a + b_e·move_early + b_l·move_late + c·high_urgency + d·half_spread, fitted by
    /// least squares on the calm-bucket parents of the same run, where move_early/late is the side-signed TWAP-of-mid
    /// move over the first/second half of the parent's scheduled horizon (observable market data, independent of our
    /// fills). Without it the day's drift swamps a one-bps storm effect.
    /// </summary>
    public IReadOnlyDictionary<string, double> AttributedIommuBps()
    {
        var bucket = Result.Parents.ToDictionary(p => p.Order.ParentId,
            p => PressureBuckets.Bucket(MeanDfi(p.Order.Host, p.Order.ArrivalTsNs, p.Order.DeadlineTsNs)), StringComparer.Ordinal);
        var markets = Result.Quotes().GroupBy(q => q.Symbol, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new MarketContext(g, []), StringComparer.Ordinal);
        var rows = Result.Parents.Select(p =>
        {
            var m = markets.GetValueOrDefault(p.Order.Symbol);
            var (early, late) = m is null ? (double.NaN, double.NaN) : ParentRecordLoader.MarketMoveBps(m, p.Order);
            var hs = m?.HalfSpreadBpsAt(p.Order.ArrivalTsNs) ?? double.NaN;
            var x = new[] { 1, Finite(early), Finite(late), p.Order.Urgency == "high" ? 1 : 0, Finite(hs) };
            return (p, X: x, Calm: bucket[p.Order.ParentId] == PressureBucket.Calm);
        }).ToArray();
        var pooled = CalmFit(rows.Where(r => r.Calm).Select(r => (r.X, r.p.IsBps)).ToArray());
        var byStrategy = rows.Where(r => r.Calm).GroupBy(r => r.p.Order.Strategy, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => CalmFit(g.Select(r => (r.X, r.p.IsBps)).ToArray()) ?? pooled, StringComparer.Ordinal);
        return rows.ToDictionary(r => r.p.Order.ParentId, r =>
        {
            if (!bucket[r.p.Order.ParentId].IsPressure())
            {
                return 0.0;
            }
            var c = byStrategy.GetValueOrDefault(r.p.Order.Strategy) ?? pooled;
            return c is { } k ? r.p.IsBps - Dot(k, r.X) : r.p.IsBps;
        }, StringComparer.Ordinal);
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /// <summary>Least-squares IS = k·x; null with fewer than 10 parents per coefficient.</summary>
    internal static double[]? CalmFit((double[] X, double Is)[] rows)
    {
        if (rows.Length == 0 || rows.Length < 10 * rows[0].X.Length)
        {
            return null;
        }
        var x = Matrix<double>.Build.Dense(rows.Length, rows[0].X.Length, (i, j) => rows[i].X[j]);
        var y = Vector<double>.Build.Dense(rows.Length, i => rows[i].Is);
        return x.Svd().Solve(y).ToArray();
    }
}
