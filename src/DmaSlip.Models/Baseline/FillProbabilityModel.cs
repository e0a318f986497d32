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
        // X has three columns (1, ln(1 + queue ahead), latency ms); Xᵀ·W·X and Xᵀ·W·z are accumulated row by row
        // (a dense diagonal W of n × n, as before, overflowed at ~700 k calm parents).
        var x1 = rows.Select(r => Math.Log(1 + Math.Max(r.QueueAheadRatio, 0))).ToArray();
        var x2 = rows.Select(r => r.LatencyUs / 1000.0).ToArray();
        var y = rows.Select(r => Math.Clamp(r.FillRatio, 0, 1)).ToArray();
        var beta = Vector<double>.Build.Dense(3);
        Span<double> xi = stackalloc double[3];
        for (var iter = 0; iter < 50; iter++)
        {
            var lhs = Matrix<double>.Build.DenseIdentity(3) * 1e-6; // tiny ridge: a constant regressor stays solvable
            var rhs = Vector<double>.Build.Dense(3);
            for (var i = 0; i < rows.Length; i++)
            {
                xi[0] = 1;
                xi[1] = x1[i];
                xi[2] = x2[i];
                var eta = (beta[0] * xi[0]) + (beta[1] * xi[1]) + (beta[2] * xi[2]);
                var mu = Math.Clamp(1 / (1 + Math.Exp(-eta)), 1e-6, 1 - 1e-6);
                var w = mu * (1 - mu);
                var z = eta + ((y[i] - mu) / w);
                for (var a = 0; a < 3; a++)
                {
                    rhs[a] += w * xi[a] * z;
                    for (var b = 0; b < 3; b++)
                    {
                        lhs[a, b] += w * xi[a] * xi[b];
                    }
                }
            }
            var next = lhs.Solve(rhs);
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
