using MathNet.Numerics.LinearAlgebra;

namespace DmaSlip.Models.Baseline;

/// <summary>
/// Passive fill probability from queue position and latency: π = 1/(1 + e^−(a + b·ln(1 + Q_ahead/q) + c·L_ms)),
/// a fractional logit (Papke–Wooldridge quasi-likelihood) fitted to observed passive fill ratios by IRLS. More
/// quantity ahead (deeper queue) and a slower join (latency lets others queue first) both lower π (b, c &lt; 0 expected).
/// </summary>
public sealed record FillProbabilityModel(double A, double B, double C)
{
    /// <summary>A prior used when a bucket has no passive postings: 50 % at an empty queue, decaying with depth.</summary>
    public static FillProbabilityModel Prior { get; } = new(0.0, -0.5, -0.05);

    public double Probability(double queueAheadRatio, double latencyUs)
    {
        var z = A + (B * Math.Log(1 + Math.Max(queueAheadRatio, 0))) + (C * (double.IsNaN(latencyUs) ? 0 : latencyUs / 1000.0));
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Fits by iteratively reweighted least squares; returns <see cref="Prior"/> below 30 observations.</summary>
    public static FillProbabilityModel Fit(IReadOnlyList<(double QueueAheadRatio, double LatencyUs, double FillRatio)> obs)
    {
        ArgumentNullException.ThrowIfNull(obs);
        var rows = obs.Where(o => !double.IsNaN(o.FillRatio) && !double.IsNaN(o.LatencyUs)).ToArray();
        if (rows.Length < 30)
        {
            return Prior;
        }
        var x = Matrix<double>.Build.Dense(rows.Length, 3, (i, j) => j switch
        {
            0 => 1.0,
            1 => Math.Log(1 + Math.Max(rows[i].QueueAheadRatio, 0)),
            _ => rows[i].LatencyUs / 1000.0,
        });
        var y = Vector<double>.Build.Dense(rows.Length, i => Math.Clamp(rows[i].FillRatio, 0, 1));
        var beta = Vector<double>.Build.Dense(3);
        for (var iter = 0; iter < 50; iter++)
        {
            var eta = x * beta;
            var mu = eta.Map(z => Math.Clamp(1 / (1 + Math.Exp(-z)), 1e-6, 1 - 1e-6));
            var w = mu.PointwiseMultiply(1 - mu);
            var z = eta + (y - mu).PointwiseDivide(w);
            var xtw = x.Transpose().Multiply(Matrix<double>.Build.DenseOfDiagonalVector(w));
            // A tiny ridge keeps the normal equations solvable when a regressor is constant (e.g. fixed latency).
            var lhs = (xtw * x) + (Matrix<double>.Build.DenseIdentity(3) * 1e-6);
            var next = lhs.Solve(xtw * z);
            var step = (next - beta).AbsoluteMaximum();
            beta = next;
            if (step < 1e-9)
            {
                break;
            }
        }
        return new FillProbabilityModel(beta[0], beta[1], beta[2]);
    }
}
