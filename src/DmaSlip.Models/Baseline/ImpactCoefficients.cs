namespace DmaSlip.Models.Baseline;

/// <summary>
/// Coefficients of the baseline shortfall for one liquidity bucket (bps):
/// IS_hat = c0 + a·HS·(1 − 2π) + δ·(1 − π)·HS + η·σ·P^β + ω₁·M₁ + ω₂·M₂ — spread paid net of spread earned by passive
/// fills, the deadline-crossing premium on the unfilled share, Almgren et al. (2005) temporary impact, and the shares
/// ω₁, ω₂ of the market's own move over the first and second half of the scheduled horizon (M₁, M₂) that the parent's
/// fills carry (market-adjusted IS: M is exogenous, so netting it removes price-path noise from the residual the
/// overlay learns without absorbing IOMMU cost; a POV parent that finishes early carries mostly M₁).
/// </summary>
public sealed record ImpactCoefficients(
    double C0, double SpreadWeight, double DeadlinePremium, double Eta, double Beta, int Observations, double EarlyMoveWeight = 0, double LateMoveWeight = 0)
{
    /// <summary>Almgren, Thum, Hauptmann and Li (2005): η = 0.142, β = 0.6; spread paid once, no premium, no market term.</summary>
    public static ImpactCoefficients Prior { get; } = new(0, 1, 0, 0.142, 0.6, 0);

    /// <summary>The prediction with the market's moves over the two half-horizons netted (NaN = unknown = 0).</summary>
    public double Predict(double halfSpreadBps, double sigmaDailyBps, double participation, double fillProbability, double earlyMoveBps, double lateMoveBps) =>
        Predict(halfSpreadBps, sigmaDailyBps, participation, fillProbability) + (EarlyMoveWeight * Known(earlyMoveBps)) + (LateMoveWeight * Known(lateMoveBps));

    internal static double Known(double v) => double.IsFinite(v) ? v : 0;

    /// <summary>The ex-ante prediction: the market move is unknown before the parent runs, and its expectation is 0.</summary>
    public double Predict(double halfSpreadBps, double sigmaDailyBps, double participation, double fillProbability)
    {
        // Unknown participation or volatility (no trades/quotes around the parent): no impact term rather than NaN.
        var impact = double.IsFinite(participation) && double.IsFinite(sigmaDailyBps)
            ? Eta * sigmaDailyBps * Math.Pow(Math.Max(participation, 0), Beta)
            : 0;
        return C0 + (SpreadWeight * halfSpreadBps * (1 - (2 * fillProbability)))
            + (DeadlinePremium * (1 - fillProbability) * halfSpreadBps) + impact;
    }
}
