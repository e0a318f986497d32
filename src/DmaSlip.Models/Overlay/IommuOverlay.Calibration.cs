using DmaSlip.Models.Gbm;

namespace DmaSlip.Models.Overlay;

/// <summary>The overlay's calibration: the effect slope of the mean booster and the conformal offset of the q95 booster.</summary>
public sealed partial class IommuOverlay
{
    /// <summary>
    /// The least-squares slope b̂ of <paramref name="y"/> on <paramref name="p"/>, shrunk toward 1 by its own standard
    /// error (positive-part James–Stein): b = 1 + (b̂ − 1)·max(0, 1 − SE²/(b̂ − 1)²), then bounded to [0.8, 2]. On a
    /// few thousand validation rows with heavy-tailed residuals SE is ~0.2, and an unshrunk slope moved every
    /// C_iommu of a day by as much (0.82 on one simulated day: −18 %); a slope that its noise cannot tell from 1 is 1.
    /// </summary>
    internal static double CalibrationSlope(double[] p, float[] y)
    {
        var n = p.Length;
        if (n < 10)
        {
            return 1;
        }
        var pm = p.Average();
        var ym = y.Average(v => (double)v);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (p[i] - pm) * (y[i] - ym);
            sxx += (p[i] - pm) * (p[i] - pm);
        }
        if (sxx <= 0)
        {
            return 1;
        }
        var b = sxy / sxx;
        double sse = 0;
        for (var i = 0; i < n; i++)
        {
            var e = y[i] - ym - (b * (p[i] - pm));
            sse += e * e;
        }
        return ShrunkTowardOne(b, sse / (n - 2) / sxx);
    }

    /// <summary>Positive-part James–Stein toward 1: b = 1 + (b̂ − 1)·max(0, 1 − SE²/(b̂ − 1)²), bounded to [0.8, 2].</summary>
    private static double ShrunkTowardOne(double estimate, double se2)
    {
        var d = estimate - 1;
        var shrunk = d * d <= se2 ? 1 : 1 + (d * (1 - (se2 / (d * d))));
        return Math.Clamp(shrunk, 0.8, 2.0);
    }

    /// <summary>Folds of the cross-fitted calibration (rows interleaved in arrival order, like the validation split).</summary>
    internal const int CrossFitFolds = 4;

    /// <summary>Rows the effect slope is fitted on: at most this many (every k-th), since each costs 16 counterfactual predictions.</summary>
    internal const int SlopeMaxRows = 50_000;

    private static int SlopeStride(int rows) => Math.Max(1, (rows + SlopeMaxRows - 1) / SlopeMaxRows);

    /// <summary>
    /// Out-of-fold predictions and their calm counterfactuals: row i is predicted by a booster trained without fold
    /// i mod k, once at its own features (p) and, for every <paramref name="calmStride"/>-th row, once averaged over its
    /// host's calm vectors (c; NaN without any and on the rows skipped).
    /// </summary>
    internal static (double[] Prediction, double[] Calm) CrossFittedEffect(float[] x, float[] y, IReadOnlyList<string> hosts, CalmProfile profile, int cols,
        GbmParameters p, int folds, int calmStride = 1)
    {
        var rows = y.Length;
        var prediction = new double[rows];
        var calmPrediction = new double[rows];
        Array.Fill(calmPrediction, double.NaN);
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, rows).Where(i => i % folds != f).ToArray();
            var held = Enumerable.Range(0, rows).Where(i => i % folds == f).ToArray();
            if (train.Length == 0 || held.Length == 0)
            {
                continue;
            }
            var (xt, yt) = Take(x, y, train, cols);
            var (xh, _) = Take(x, y, held, cols);
            using var model = GbmModel.Train(xt, cols, yt, p);
            var ph = new double[held.Length];
            model.Predict(xh, ph);
            var scored = calmStride == 1 ? held : held.Where(i => i % calmStride == 0).ToArray();
            var xc = calmStride == 1 ? xh : Take(x, y, scored, cols).X;
            var ch = CalmPrediction(model, profile, xc, [.. scored.Select(i => hosts[i])], scored.Length);
            for (var k = 0; k < held.Length; k++)
            {
                prediction[held[k]] = ph[k];
            }
            for (var k = 0; k < scored.Length; k++)
            {
                calmPrediction[scored[k]] = ch[k];
            }
        }
        return (prediction, calmPrediction);
    }

    /// <summary>
    /// The calibration slope of what C_iommu reports: the least-squares coefficient b̂ on d = p − c in
    /// y = a + g·c + b·d, where p is the out-of-sample prediction and c its calm counterfactual (rows without one
    /// have d = 0), shrunk toward 1 by its standard error like <see cref="CalibrationSlope"/> and bounded to
    /// [0.8, 2]. A single slope of y on p mixes the market part of the fit, whose out-of-sample spread is partly
    /// fitted noise (slope &lt; 1), with the host effect: on simulated days it was 0.87 and took 12 % off every
    /// C_iommu. Falls back to <see cref="CalibrationSlope"/> when c and d are collinear or too few rows.
    /// </summary>
    internal static double EffectSlope(double[] p, double[] c, float[] y)
    {
        var n = p.Length;
        if (n < 10)
        {
            return 1;
        }
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, 3);
        var target = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(n);
        for (var i = 0; i < n; i++)
        {
            var calm = double.IsFinite(c[i]) ? c[i] : p[i];
            design[i, 0] = 1;
            design[i, 1] = calm;
            design[i, 2] = p[i] - calm;
            target[i] = y[i];
        }
        var effect = design.Column(2);
        var effectMean = effect.Average();
        if (effect.Sum(v => (v - effectMean) * (v - effectMean)) <= 1e-12 * n)
        {
            return CalibrationSlope(p, y); // no counterfactual effect anywhere: nothing to calibrate it on
        }
        var gram = design.TransposeThisAndMultiply(design);
        var inverse = gram.Inverse();
        var beta = inverse * design.TransposeThisAndMultiply(target);
        if (!beta.All(double.IsFinite) || !double.IsFinite(inverse[2, 2]) || inverse[2, 2] <= 0)
        {
            return CalibrationSlope(p, y); // c and d collinear
        }
        var residual = target - (design * beta);
        return ShrunkTowardOne(beta[2], residual.DotProduct(residual) / (n - 3) * inverse[2, 2]);
    }

    /// <summary>The ⌈α·(n + 1)⌉-th smallest score y − p (n = rows); 0 when there are too few rows for that rank.</summary>
    internal static double ConformalOffset(double[] p, float[] y, double alpha)
    {
        var n = p.Length;
        var rank = (int)Math.Ceiling(alpha * (n + 1));
        if (n == 0 || rank > n)
        {
            return 0;
        }
        var scores = p.Select((v, i) => y[i] - v).Order().ToArray();
        return scores[rank - 1];
    }
}
