using DmaSlip.Models.Features;
using DmaSlip.Models.Gbm;

namespace DmaSlip.Models.Overlay;

/// <summary>
/// The IOMMU overlay (DESIGN §5): LightGBM on host + timing features (+ market state), trained on the residual
/// r = IS − IS_hat_baseline — realized data only, never the simulator's truth. An L2 booster gives Δ̂IS_mean, a
/// quantile booster (α = 0.95) gives Δ̂IS_q95. The tree count of each is chosen on a time-ordered validation split
/// (zero trees — a constant — is a candidate, so a feature set with no skill yields C_iommu = 0 instead of fitted
/// noise); below <see cref="OverlayOptions.RefitMaxRows"/> rows the boosters are then refit on all rows with that
/// count. C_iommu is counterfactual: the calibrated mean prediction at the parent's features minus its mean prediction
/// with the host/timing features of its host's <see cref="CalmProfile"/> vectors (market features kept), split into
/// families by their SHAP change against the host's calm vectors.
/// </summary>
public sealed partial class IommuOverlay : IDisposable
{
    private readonly GbmModel? _mean;
    private readonly GbmModel? _q95;

    private IommuOverlay(GbmModel? mean, double constantMean, double slope, GbmModel? q95, double constantQ95, CalmProfile calmProfile, OverlayMetrics metrics,
        double sigmaReferenceBps, double q95Offset)
    {
        Slope = slope;
        SigmaReferenceBps = sigmaReferenceBps;
        Q95Offset = q95Offset;
        _mean = mean;
        _q95 = q95;
        ConstantMean = constantMean;
        ConstantQ95 = constantQ95;
        CalmProfile = calmProfile;
        Metrics = metrics;
    }

    /// <summary>The mean residual used when the L2 booster has no skill (zero trees chosen).</summary>
    public double ConstantMean { get; }

    public double ConstantQ95 { get; }

    /// <summary>
    /// Split-conformal correction of the q95 booster (conformalized quantile regression, Romano et al. 2019): the
    /// ⌈0.95·(n + 1)⌉-th smallest of y − q̂(x) over the n validation rows, in scaled units, added to every q95
    /// prediction. Quantile boosting with early stopping under-covers on rows it did not see (0.92–0.935 on a
    /// simulated day); the offset makes the held-out coverage 0.95 by construction.
    /// </summary>
    public double Q95Offset { get; }

    /// <summary>
    /// Calibration slope b of the L2 booster (residual on the counterfactual effect, <see cref="EffectSlope"/>:
    /// cross-fitted on every row up to <see cref="OverlayOptions.RefitMaxRows"/>, the validation split above; shrunk
    /// toward 1 by its standard error; bounded to [0.8, 2]). Early-stopped boosting shrinks predictions toward the
    /// mean (learning rate × few trees); Δ̂IS_mean = c + b·(f(x) − c) and every SHAP term is scaled by b, which removes
    /// that bias without refitting.
    /// </summary>
    public double Slope { get; }

    /// <summary>Each host's calm host/timing features: the counterfactual C_iommu is measured against.</summary>
    public CalmProfile CalmProfile { get; }

    public OverlayMetrics Metrics { get; }

    public bool HasMeanSkill => _mean is not null;

    /// <summary>
    /// Volatility scaling: the boosters learn r / s and every estimate is multiplied back by s, where
    /// s = (σ + σ_ref) / (2·σ_ref), σ is the parent's daily-equivalent volatility around arrival and σ_ref the median σ
    /// of the fit (NaN: no scaling). A delay costs in proportion to how fast the price moves, so in the simulator the
    /// storm uplift per parent is ≈ a + b·σ of its symbol (docs/MODELS.md); with the scale, a day whose symbols move
    /// faster than any the fit saw needs no extrapolation from the trees, and the residual's noise, which grows with σ
    /// as well, weighs evenly.
    /// </summary>
    public double SigmaReferenceBps { get; }

    /// <summary>The scale of a row with volatility <paramref name="sigmaBps"/> (1 without a reference or a usable σ).</summary>
    public static double Scale(double sigmaBps, double sigmaReferenceBps) =>
        double.IsFinite(sigmaReferenceBps) && sigmaReferenceBps > 0 && double.IsFinite(sigmaBps) && sigmaBps >= 0
            ? (sigmaBps + sigmaReferenceBps) / (2 * sigmaReferenceBps)
            : 1;

    /// <summary>Median of the finite, positive volatilities (NaN when there are none).</summary>
    internal static double SigmaReference(IReadOnlyList<double>? sigmaBps)
    {
        return sigmaBps is null ? double.NaN : Baseline.BaselineStack.Median(sigmaBps.Where(x => double.IsFinite(x) && x > 0));
    }

    /// <summary>
    /// Fits on <paramref name="x"/> (row-major, rows in arrival order × <see cref="OverlayFeatureSchema.Count"/>) and
    /// residual <paramref name="target"/>; <paramref name="calm"/> marks the calm reference parents and
    /// <paramref name="hosts"/> names each row's host (for its calm profile). With <paramref name="sigmaBps"/> (each row's
    /// volatility) the boosters learn the volatility-scaled residual (<see cref="SigmaReferenceBps"/>); the reported
    /// metrics stay in bps.
    /// </summary>
    public static IommuOverlay Fit(float[] x, float[] target, IReadOnlyList<bool> calm, IReadOnlyList<string> hosts, OverlayOptions options,
        IReadOnlyList<double>? sigmaBps = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(calm);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(options);
        var cols = OverlayFeatureSchema.Count;
        var rows = target.Length;
        if (x.Length != rows * cols || calm.Count != rows || hosts.Count != rows)
        {
            throw new ArgumentException($"overlay input has {x.Length} values for {rows} rows × {cols} features, {calm.Count} calm flags and {hosts.Count} hosts");
        }
        if (sigmaBps is not null && sigmaBps.Count != rows)
        {
            throw new ArgumentException($"{rows} rows but {sigmaBps.Count} volatilities", nameof(sigmaBps));
        }
        var sigmaRef = SigmaReference(sigmaBps);
        var scale = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            scale[i] = Scale(sigmaBps?[i] ?? double.NaN, sigmaRef);
        }
        target = target.Select((v, i) => (float)(v / scale[i])).ToArray();
        // Interleaved split (every k-th parent in arrival order is held out): storms are episodes, so a
        // "latest share" split would often validate on calm data only and learn nothing about the episode.
        var every = options.ValidationShare <= 0 ? int.MaxValue : Math.Max(2, (int)Math.Round(1 / options.ValidationShare));
        var validIdx = Enumerable.Range(0, rows).Where(i => i % every == every - 1).ToArray();
        var trainIdx = Enumerable.Range(0, rows).Where(i => i % every != every - 1).ToArray();
        var trainRows = trainIdx.Length;
        var validRows = validIdx.Length;
        var (xTrain, yTrain) = Take(x, target, trainIdx, cols);
        var (xValid, yValid) = Take(x, target, validIdx, cols);

        var refit = options.RefitOnAll && validRows > 0 && rows <= options.RefitMaxRows;
        var tooFew = validRows > 0 && validRows < options.MinValidationRows;
        var meanSearch = Search(xTrain, yTrain, xValid, yValid, options.Mean, options.EvaluationStep, Mean(yTrain), L2, tooFew);
        var q95Search = Search(xTrain, yTrain, xValid, yValid, options.Q95, options.EvaluationStep, Quantile(yTrain, options.Q95.Alpha),
            (p, y) => Pinball(p, y, options.Q95.Alpha), tooFew);
        var q95Offset = q95Search.Iterations == 0 ? 0 : ConformalOffset(q95Search.ValidPrediction, yValid, options.Q95.Alpha);
        if (q95Offset != 0)
        {
            q95Search = q95Search with { ValidPrediction = q95Search.ValidPrediction.Select(v => v + q95Offset).ToArray() };
        }
        var validScale = validIdx.Select(i => scale[i]).ToArray();
        var metrics = ValidationMetrics(meanSearch, q95Search, yValid, validScale, options.Q95.Alpha, trainRows, validRows, Mean(yTrain));

        GbmModel? mean = meanSearch.Iterations == 0 ? null
            : refit ? GbmModel.Train(x, cols, target, options.Mean with { Iterations = meanSearch.Iterations }) : meanSearch.Model;
        GbmModel? q95 = q95Search.Iterations == 0 ? null
            : refit ? GbmModel.Train(x, cols, target, options.Q95 with { Iterations = q95Search.Iterations }) : q95Search.Model;
        if (!ReferenceEquals(mean, meanSearch.Model))
        {
            meanSearch.Model?.Dispose();
        }
        if (!ReferenceEquals(q95, q95Search.Model))
        {
            q95Search.Model?.Dispose();
        }
        var constantMean = refit ? Mean(target) : Mean(yTrain);
        var constantQ95 = refit ? Quantile(target, options.Q95.Alpha) : Quantile(yTrain, options.Q95.Alpha);
        // The slope of the counterfactual effect, from cross-fitted predictions on every row where the boosters are
        // refit (≤ RefitMaxRows): a validation quarter of a few thousand noisy rows left it ±0.2, and early stopping
        // at 10–20 trees shrinks the effect by a third. Above that, the validation share is large enough on its own.
        var profile = CalmProfile.Build(x, hosts, calm);
        double slope = 1;
        if (meanSearch.Iterations > 0 && refit)
        {
            var stride = SlopeStride(rows);
            var (p, c) = CrossFittedEffect(x, target, hosts, profile, cols, options.Mean with { Iterations = meanSearch.Iterations }, CrossFitFolds, stride);
            var idx = Enumerable.Range(0, rows).Where(i => i % stride == 0).ToArray();
            slope = EffectSlope([.. idx.Select(i => p[i])], [.. idx.Select(i => c[i])], [.. idx.Select(i => target[i])]);
        }
        else if (meanSearch.Iterations > 0 && meanSearch.Model is { } searched)
        {
            var stride = SlopeStride(validRows);
            var idx = Enumerable.Range(0, validRows).Where(i => i % stride == 0).ToArray();
            var (xs, ys) = Take(xValid, yValid, idx, cols);
            var c = CalmPrediction(searched, profile, xs, [.. idx.Select(i => hosts[validIdx[i]])], idx.Length);
            slope = EffectSlope([.. idx.Select(i => meanSearch.ValidPrediction[i])], c, ys);
        }
        return new IommuOverlay(mean, constantMean, slope, q95, constantQ95, profile, metrics with { Slope = slope }, sigmaRef, q95Offset);
    }

    public void Dispose()
    {
        _mean?.Dispose();
        _q95?.Dispose();
    }

    private readonly record struct SearchResult(GbmModel? Model, int Iterations, double[] ValidPrediction);

    private static SearchResult Search(
        float[] xTrain, float[] yTrain, float[] xValid, float[] yValid, GbmParameters p, int step, double constant, Func<double[], float[], double> loss,
        bool constantOnly)
    {
        var best = Enumerable.Repeat(constant, yValid.Length).ToArray();
        if (constantOnly)
        {
            return new SearchResult(null, 0, best); // too few validation rows to judge any tree: train none
        }
        var model = GbmModel.Train(xTrain, OverlayFeatureSchema.Count, yTrain, p);
        if (yValid.Length == 0)
        {
            return new SearchResult(model, model.Iterations, []);
        }
        var bestLoss = loss(best, yValid);
        var bestK = 0;
        var pred = new double[yValid.Length];
        var candidates = Enumerable.Range(1, model.Iterations / step).Select(i => i * step).Append(model.Iterations).Distinct();
        foreach (var k in candidates)
        {
            model.Predict(xValid, pred, iterations: k);
            var l = loss(pred, yValid);
            // Require a real improvement (0.1 % of the loss) so ties and numerical noise keep the simpler model.
            if (l < bestLoss * 0.999)
            {
                bestLoss = l;
                bestK = k;
                best = (double[])pred.Clone();
            }
        }
        return new SearchResult(model, bestK, best);
    }

    /// <summary>Held-out metrics in bps: predictions and targets are multiplied back by each row's volatility scale.</summary>
    private static OverlayMetrics ValidationMetrics(SearchResult mean, SearchResult q95, float[] yScaled, double[] scale, double alpha, int trainRows, int validRows, double constant)
    {
        if (validRows == 0)
        {
            return new OverlayMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, mean.Iterations, q95.Iterations, trainRows, 0);
        }
        var y = yScaled.Select((v, i) => (float)(v * scale[i])).ToArray();
        var meanPrediction = mean.ValidPrediction.Select((p, i) => p * scale[i]).ToArray();
        var q95Prediction = q95.ValidPrediction.Select((p, i) => p * scale[i]).ToArray();
        var rmse = Math.Sqrt(L2(meanPrediction, y));
        var mae = meanPrediction.Select((p, i) => Math.Abs(p - y[i])).Average();
        var constantRmse = Math.Sqrt(L2(scale.Select(s => constant * s).ToArray(), y));
        var pinball = Pinball(q95Prediction, y, alpha);
        var coverage = q95Prediction.Select((p, i) => y[i] <= p ? 1.0 : 0.0).Average();
        return new OverlayMetrics(rmse, mae, constantRmse, pinball, coverage, mean.Iterations, q95.Iterations, trainRows, validRows);
    }

    private static (float[] X, float[] Y) Take(float[] x, float[] y, int[] idx, int cols)
    {
        var xs = new float[idx.Length * cols];
        var ys = new float[idx.Length];
        for (var r = 0; r < idx.Length; r++)
        {
            x.AsSpan(idx[r] * cols, cols).CopyTo(xs.AsSpan(r * cols));
            ys[r] = y[idx[r]];
        }
        return (xs, ys);
    }

    internal static double L2(double[] p, float[] y) => p.Select((v, i) => (v - y[i]) * (v - y[i])).Average();

    internal static double Pinball(double[] p, float[] y, double alpha) =>
        p.Select((v, i) => y[i] >= v ? alpha * (y[i] - v) : (1 - alpha) * (v - y[i])).Average();

    internal static double Mean(float[] y) => y.Length == 0 ? 0 : y.Average(v => (double)v);

    internal static double Quantile(float[] y, double alpha)
    {
        if (y.Length == 0)
        {
            return 0;
        }
        var s = y.Select(v => (double)v).Order().ToArray();
        return MathNet.Numerics.Statistics.SortedArrayStatistics.Quantile(s, alpha);
    }
}
