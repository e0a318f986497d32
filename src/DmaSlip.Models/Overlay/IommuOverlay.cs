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

    private IommuOverlay(GbmModel? mean, double constantMean, double slope, GbmModel? q95, double constantQ95, CalmProfile calmProfile, OverlayMetrics metrics)
    {
        Slope = slope;
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
    /// Calibration slope b of the L2 booster on the validation split (residual on prediction). Early-stopped
    /// boosting shrinks predictions toward the mean (learning rate × few trees); Δ̂IS_mean = c + b·(f(x) − c) and
    /// every SHAP term is scaled by b, which removes that bias without refitting. Bounded to [0.8, 2].
    /// </summary>
    public double Slope { get; }

    /// <summary>Each host's calm host/timing features: the counterfactual C_iommu is measured against.</summary>
    public CalmProfile CalmProfile { get; }

    public OverlayMetrics Metrics { get; }

    public bool HasMeanSkill => _mean is not null;

    /// <summary>
    /// Fits on <paramref name="x"/> (row-major, rows in arrival order × <see cref="OverlayFeatureSchema.Count"/>) and
    /// residual <paramref name="target"/>; <paramref name="calm"/> marks the calm reference parents and
    /// <paramref name="hosts"/> names each row's host (for its calm profile).
    /// </summary>
    public static IommuOverlay Fit(float[] x, float[] target, IReadOnlyList<bool> calm, IReadOnlyList<string> hosts, OverlayOptions options)
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
        var meanSearch = Search(xTrain, yTrain, xValid, yValid, options.Mean, options.EvaluationStep, Mean(yTrain), L2);
        var q95Search = Search(xTrain, yTrain, xValid, yValid, options.Q95, options.EvaluationStep, Quantile(yTrain, options.Q95.Alpha),
            (p, y) => Pinball(p, y, options.Q95.Alpha));
        var metrics = ValidationMetrics(meanSearch, q95Search, yValid, options.Q95.Alpha, trainRows, validRows, Mean(yTrain));

        GbmModel? mean = meanSearch.Iterations == 0 ? null
            : refit ? GbmModel.Train(x, cols, target, options.Mean with { Iterations = meanSearch.Iterations }) : meanSearch.Model;
        GbmModel? q95 = q95Search.Iterations == 0 ? null
            : refit ? GbmModel.Train(x, cols, target, options.Q95 with { Iterations = q95Search.Iterations }) : q95Search.Model;
        if (!ReferenceEquals(mean, meanSearch.Model))
        {
            meanSearch.Model.Dispose();
        }
        if (!ReferenceEquals(q95, q95Search.Model))
        {
            q95Search.Model.Dispose();
        }
        var constantMean = refit ? Mean(target) : Mean(yTrain);
        var constantQ95 = refit ? Quantile(target, options.Q95.Alpha) : Quantile(yTrain, options.Q95.Alpha);
        var slope = meanSearch.Iterations == 0 ? 1 : CalibrationSlope(meanSearch.ValidPrediction, yValid);
        return new IommuOverlay(mean, constantMean, slope, q95, constantQ95, CalmProfile.Build(x, hosts, calm), metrics with { Slope = slope });
    }

    public void Dispose()
    {
        _mean?.Dispose();
        _q95?.Dispose();
    }

    private readonly record struct SearchResult(GbmModel Model, int Iterations, double[] ValidPrediction);

    private static SearchResult Search(
        float[] xTrain, float[] yTrain, float[] xValid, float[] yValid, GbmParameters p, int step, double constant, Func<double[], float[], double> loss)
    {
        var model = GbmModel.Train(xTrain, OverlayFeatureSchema.Count, yTrain, p);
        if (yValid.Length == 0)
        {
            return new SearchResult(model, model.Iterations, []);
        }
        var best = Enumerable.Repeat(constant, yValid.Length).ToArray();
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

    private static OverlayMetrics ValidationMetrics(SearchResult mean, SearchResult q95, float[] y, double alpha, int trainRows, int validRows, double constant)
    {
        if (validRows == 0)
        {
            return new OverlayMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, mean.Iterations, q95.Iterations, trainRows, 0);
        }
        var rmse = Math.Sqrt(L2(mean.ValidPrediction, y));
        var mae = mean.ValidPrediction.Select((p, i) => Math.Abs(p - y[i])).Average();
        var constantRmse = Math.Sqrt(L2(Enumerable.Repeat(constant, y.Length).ToArray(), y));
        var pinball = Pinball(q95.ValidPrediction, y, alpha);
        var coverage = q95.ValidPrediction.Select((p, i) => y[i] <= p ? 1.0 : 0.0).Average();
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

    internal static double CalibrationSlope(double[] p, float[] y)
    {
        if (p.Length < 10)
        {
            return 1;
        }
        var pm = p.Average();
        var ym = y.Average(v => (double)v);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < p.Length; i++)
        {
            sxy += (p[i] - pm) * (y[i] - ym);
            sxx += (p[i] - pm) * (p[i] - pm);
        }
        return sxx <= 0 ? 1 : Math.Clamp(sxy / sxx, 0.8, 2.0);
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
