using DmaSlip.Models.Features;
using DmaSlip.Models.Gbm;

namespace DmaSlip.Models.Overlay;

public sealed partial class IommuOverlay
{
    /// <summary>
    /// Estimates for each row of <paramref name="x"/> (row-major × <see cref="OverlayFeatureSchema.Count"/>);
    /// <paramref name="hosts"/> names each row's host. Rows flagged in <paramref name="noEffect"/> (calm parents, see
    /// <see cref="Pipeline.SlippageModel.Apply"/>) get the predictions but no counterfactual: their C_iommu is 0, and
    /// the 16 calm counterfactuals with SHAP per row are the costly part of scoring. <paramref name="sigmaBps"/> gives
    /// each row's volatility; it is required when the overlay was fitted with volatility scaling
    /// (<see cref="SigmaReferenceBps"/>), and every estimate is multiplied by the row's scale.
    /// </summary>
    public OverlayEstimate[] Apply(float[] x, IReadOnlyList<string> hosts, IReadOnlyList<bool>? noEffect = null, IReadOnlyList<double>? sigmaBps = null)
    {
        var result = ApplyScaled(x, hosts, noEffect);
        if (!double.IsFinite(SigmaReferenceBps))
        {
            return result;
        }
        if (sigmaBps is null || sigmaBps.Count != result.Length)
        {
            throw new ArgumentException($"this overlay scales by volatility: pass one volatility per row ({result.Length})", nameof(sigmaBps));
        }
        for (var r = 0; r < result.Length; r++)
        {
            var s = Scale(sigmaBps[r], SigmaReferenceBps);
            var e = result[r];
            result[r] = new OverlayEstimate(e.Mean * s, e.Q95 * s, e.DmaJitter * s, e.ServiceBurst * s, e.QueueDecay * s);
        }
        return result;
    }

    private OverlayEstimate[] ApplyScaled(float[] x, IReadOnlyList<string> hosts, IReadOnlyList<bool>? noEffect)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(hosts);
        var cols = OverlayFeatureSchema.Count;
        var rows = x.Length / cols;
        if (hosts.Count != rows || (noEffect is not null && noEffect.Count != rows))
        {
            throw new ArgumentException($"{rows} rows but {hosts.Count} hosts and {noEffect?.Count ?? rows} flags", nameof(hosts));
        }
        var mean = new double[rows];
        var q95 = new double[rows];
        if (_q95 is null)
        {
            Array.Fill(q95, ConstantQ95);
        }
        else
        {
            _q95.Predict(x, q95);
            for (var r = 0; r < rows; r++)
            {
                q95[r] += Q95Offset;
            }
        }
        var result = new OverlayEstimate[rows];
        if (_mean is null)
        {
            for (var r = 0; r < rows; r++)
            {
                result[r] = new OverlayEstimate(ConstantMean, q95[r], 0, 0, 0);
            }
            return result;
        }
        _mean.Predict(x, mean);
        for (var r = 0; r < rows; r++)
        {
            result[r] = new OverlayEstimate(ConstantMean + (Slope * (mean[r] - ConstantMean)), q95[r], 0, 0, 0);
        }
        var scored = Enumerable.Range(0, rows).Where(r => noEffect is null || !noEffect[r]).ToArray();
        if (scored.Length == 0)
        {
            return result;
        }
        var xs = new float[scored.Length * cols];
        var scoredHosts = new string[scored.Length];
        for (var k = 0; k < scored.Length; k++)
        {
            x.AsSpan(scored[k] * cols, cols).CopyTo(xs.AsSpan(k * cols));
            scoredHosts[k] = hosts[scored[k]];
        }
        var own = FamilySums(_mean, xs, scored.Length);
        var calmPrediction = CalmPrediction(xs, scoredHosts, scored.Length);
        var calmFamilies = CalmFamilies(scoredHosts);
        for (var k = 0; k < scored.Length; k++)
        {
            if (double.IsNaN(calmPrediction[k]))
            {
                continue; // no calm parent anywhere in the fit: nothing to measure the effect against
            }
            var r = scored[k];
            var total = Slope * (mean[r] - calmPrediction[k]);
            var reference = calmFamilies[scoredHosts[k]];
            var dma = Slope * (own[k * Groups] - reference[0]);
            var service = Slope * (own[(k * Groups) + 1] - reference[1]);
            var queue = Slope * (own[(k * Groups) + 2] - reference[2]);
            // What the three families' SHAP change does not cover (market interactions, the calm spread) is shared.
            var (a, b, c) = SplitFamilies(dma, service, queue, total - dma - service - queue);
            result[r] = result[r] with { DmaJitter = a, ServiceBurst = b, QueueDecay = c };
            System.Diagnostics.Debug.Assert(Math.Abs(a + b + c - total) < 1e-6 * (1 + Math.Abs(total)));
        }
        return result;
    }

    /// <summary>
    /// Per row, the booster's mean prediction over the row's calm counterfactuals
    /// (<see cref="Overlay.CalmProfile.Counterfactuals"/>; NaN when there are none), scored in blocks to bound memory.
    /// Predictions only: SHAP on every counterfactual (16 per parent) took minutes at 1 M parents.
    /// </summary>
    private double[] CalmPrediction(float[] x, IReadOnlyList<string> hosts, int rows) => CalmPrediction(_mean!, CalmProfile, x, hosts, rows);

    /// <summary><see cref="CalmPrediction(float[], IReadOnlyList{string}, int)"/> for any booster and calm profile (the cross-fitted calibration uses each fold's booster).</summary>
    internal static double[] CalmPrediction(GbmModel model, CalmProfile profile, float[] x, IReadOnlyList<string> hosts, int rows)
    {
        var cols = OverlayFeatureSchema.Count;
        var prediction = new double[rows];
        const int block = 2048;
        var xc = new float[block * CalmProfile.Size * cols];
        var p = new double[block * CalmProfile.Size];
        var counts = new int[block];
        for (var start = 0; start < rows; start += block)
        {
            var n = Math.Min(block, rows - start);
            var written = 0;
            for (var r = 0; r < n; r++)
            {
                counts[r] = profile.Counterfactuals(x.AsSpan((start + r) * cols, cols), hosts[start + r], xc.AsSpan(written * cols));
                written += counts[r];
            }
            if (written > 0)
            {
                model.Predict(xc.AsSpan(0, written * cols), p.AsSpan(0, written));
            }
            var k = 0;
            for (var r = 0; r < n; r++)
            {
                double sum = 0;
                for (var j = 0; j < counts[r]; j++, k++)
                {
                    sum += p[k];
                }
                prediction[start + r] = counts[r] == 0 ? double.NaN : sum / counts[r];
            }
        }
        return prediction;
    }

    /// <summary>Per host, the mean SHAP mass of each C_iommu family over its calm vectors (their own market features).</summary>
    private Dictionary<string, double[]> CalmFamilies(IEnumerable<string> hosts)
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var host in hosts.Distinct(StringComparer.Ordinal))
        {
            var vectors = CalmProfile.For(host);
            var mean = new double[Groups - 1];
            if (vectors.Length > 0)
            {
                var sums = FamilySums(_mean!, [.. vectors.SelectMany(v => v)], vectors.Length);
                for (var k = 0; k < vectors.Length; k++)
                {
                    for (var g = 0; g < Groups - 1; g++)
                    {
                        mean[g] += sums[(k * Groups) + g] / vectors.Length;
                    }
                }
            }
            result[host] = mean;
        }
        return result;
    }

    /// <summary>SHAP groups per row in <see cref="FamilySums"/>: the three C_iommu families, then the market features.</summary>
    internal const int Groups = 4;

    /// <summary>
    /// The counterfactual effect split into families: each family keeps its own SHAP change, and the market features'
    /// change (their interactions with the host features; the market values themselves are the same on both sides)
    /// is shared in proportion to the families' absolute changes, so the three terms sum to f(x) − f(x_calm).
    /// </summary>
    internal static (double DmaJitter, double ServiceBurst, double QueueDecay) SplitFamilies(double dma, double service, double queue, double market)
    {
        var total = Math.Abs(dma) + Math.Abs(service) + Math.Abs(queue);
        if (total <= 0)
        {
            return (market / 3, market / 3, market / 3);
        }
        return (dma + (market * Math.Abs(dma) / total), service + (market * Math.Abs(service) / total), queue + (market * Math.Abs(queue) / total));
    }

    /// <summary>Per row, SHAP mass of the dma-jitter, service-burst and queue-decay features and of the market features.</summary>
    internal static double[] FamilySums(GbmModel model, float[] x, int rows)
    {
        var cols = OverlayFeatureSchema.Count;
        var contrib = new double[rows * (cols + 1)];
        model.PredictContributions(x, contrib);
        var sums = new double[rows * Groups];
        var features = OverlayFeatureSchema.Features;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var family = features[c].Family;
                var g = family == FeatureFamily.Market ? Groups - 1 : (int)family;
                sums[(r * Groups) + g] += contrib[(r * (cols + 1)) + c];
            }
        }
        return sums;
    }

    /// <summary>The boosters' model texts (null where a constant was chosen), for the artifact files.</summary>
    public (string? Mean, string? Q95) ModelTexts() => (_mean?.Save(), _q95?.Save());

    /// <summary>Restores an overlay from its artifact parts.</summary>
    public static IommuOverlay Load(
        string? meanText, double constantMean, double slope, string? q95Text, double constantQ95, CalmProfile calmProfile, OverlayMetrics metrics,
        double sigmaReferenceBps = double.NaN, double q95Offset = 0)
    {
        ArgumentNullException.ThrowIfNull(calmProfile);
        var mean = meanText is null ? null : GbmModel.Load(meanText);
        try
        {
            var q95 = q95Text is null ? null : GbmModel.Load(q95Text);
            return new IommuOverlay(mean, constantMean, slope, q95, constantQ95, calmProfile, metrics, sigmaReferenceBps, q95Offset);
        }
        catch
        {
            mean?.Dispose();
            throw;
        }
    }
}
