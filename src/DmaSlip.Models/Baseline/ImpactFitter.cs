using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DmaSlip.Models.Baseline;

/// <summary>
/// Nonlinear least squares for <see cref="ImpactCoefficients"/> by variable projection: for a fixed β the model is
/// linear in (c0, a, δ, η, ω₁, ω₂), solved exactly by QR; the residual sum of squares is then minimized over β ∈ [0.1, 1.5]
/// with MathNet's bounded scalar minimizer (golden section / Brent). Exact profile likelihood, no starting-point
/// sensitivity in the linear parameters.
/// </summary>
internal static class ImpactFitter
{
    public readonly record struct Observation(double HalfSpreadBps, double SigmaDailyBps, double Participation, double FillProbability, double IsBps, double EarlyMoveBps = double.NaN, double LateMoveBps = double.NaN);

    public const int MinObservations = 100;

    public static ImpactCoefficients Fit(IReadOnlyList<Observation> obs)
    {
        ArgumentNullException.ThrowIfNull(obs);
        var rows = obs.Where(o => double.IsFinite(o.IsBps) && double.IsFinite(o.HalfSpreadBps) && double.IsFinite(o.SigmaDailyBps)
            && double.IsFinite(o.Participation) && o.Participation > 0).ToArray();
        if (rows.Length < MinObservations)
        {
            return ImpactCoefficients.Prior with { Observations = rows.Length };
        }
        var design = new Design(rows);
        // MathNet's "constrained" golden section still expands its bracket past the bounds when the minimum sits on
        // one (β = −99 was tried: P^β overflows); clamping makes the objective flat outside [0.1, 1.5].
        double Rss(double beta) => design.Solve(Math.Clamp(beta, 0.1, 1.5)).Rss;
        double best;
        try
        {
            best = FindMinimum.OfScalarFunctionConstrained(Rss, 0.1, 1.5, 1e-4);
        }
        catch (MathNet.Numerics.Optimization.OptimizationException)
        {
            best = ImpactCoefficients.Prior.Beta;
        }
        best = Math.Clamp(best, 0.1, 1.5);
        var (theta, _) = design.Solve(best);
        return new ImpactCoefficients(theta[0], theta[1], theta[2], theta[3], best, rows.Length, theta[4], theta[5]);
    }

    /// <summary>
    /// The design matrix of one fit. Only the impact column σ·P^β depends on β, so the other five are built once and
    /// each objective evaluation of the β search rewrites that column alone.
    /// </summary>
    private sealed class Design
    {
        private const int ImpactColumn = 3;
        private readonly Matrix<double> _x;
        private readonly Vector<double> _y;
        private readonly double[] _sigma;
        private readonly double[] _logParticipation;

        public Design(Observation[] rows)
        {
            _y = Vector<double>.Build.Dense(rows.Length, i => rows[i].IsBps);
            _sigma = rows.Select(o => o.SigmaDailyBps).ToArray();
            _logParticipation = rows.Select(o => Math.Log(o.Participation)).ToArray();
            _x = Matrix<double>.Build.Dense(rows.Length, 6, (i, j) =>
            {
                var o = rows[i];
                return j switch
                {
                    0 => 1.0,
                    1 => o.HalfSpreadBps * (1 - (2 * o.FillProbability)),
                    2 => (1 - o.FillProbability) * o.HalfSpreadBps,
                    ImpactColumn => 0, // set per β by Solve
                    4 => ImpactCoefficients.Known(o.EarlyMoveBps),
                    _ => ImpactCoefficients.Known(o.LateMoveBps),
                };
            });
        }

        public (Vector<double> Theta, double Rss) Solve(double beta)
        {
            for (var i = 0; i < _sigma.Length; i++)
            {
                _x[i, ImpactColumn] = _sigma[i] * Math.Exp(beta * _logParticipation[i]);
            }
            // Ridge toward the prior (25 + 1e-3 per row) keeps a column that does not vary (e.g. all fills certain)
            // from making the system singular and pulls a small bucket toward the published values; it is negligible
            // next to the data of a well-populated bucket.
            var prior = ImpactCoefficients.Prior;
            var lambda = 25 + (1e-3 * _sigma.Length);
            var theta0 = Vector<double>.Build.DenseOfArray([prior.C0, prior.SpreadWeight, prior.DeadlinePremium, prior.Eta, prior.EarlyMoveWeight, prior.LateMoveWeight]);
            var lhs = _x.TransposeThisAndMultiply(_x) + (Matrix<double>.Build.DenseIdentity(6) * lambda);
            var rhs = _x.TransposeThisAndMultiply(_y) + (theta0 * lambda);
            var theta = lhs.Solve(rhs);
            var r = _y - (_x * theta);
            return (theta, r.DotProduct(r));
        }
    }
}
