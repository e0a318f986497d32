namespace DmaSlip.Models.Baseline;

/// <summary>
/// Coefficients of the baseline shortfall for one liquidity bucket (bps):
/// IS_hat = c0 + a·HS·(1 − 2π) + δ·(1 − π)·HS + η·σ·P^β — spread paid net of spread earned by passive fills, the
/// deadline-crossing premium on the unfilled share, and Almgren et al. (2005) temporary impact.
/// </summary>
public sealed record ImpactCoefficients(double C0, double SpreadWeight, double DeadlinePremium, double Eta, double Beta, int Observations)
{
    /// <summary>Almgren, Thum, Hauptmann and Li (2005): η = 0.142, β = 0.6; spread paid once, no premium.</summary>
    public static ImpactCoefficients Prior { get; } = new(0, 1, 0, 0.142, 0.6, 0);

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
