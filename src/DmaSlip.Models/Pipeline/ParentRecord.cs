namespace DmaSlip.Models.Pipeline;

/// <summary>
/// Everything the models know about one parent order: its market context at arrival (for the baseline and the
/// strata), its realized shortfall and gross classical terms (bps of Q·P_d), and its overlay feature vector
/// (<see cref="Features.OverlayFeatureSchema"/> order; NaN = missing, which LightGBM routes natively).
/// </summary>
/// <param name="HalfSpreadBps">Half the quoted spread at arrival, bps of the mid.</param>
/// <param name="SigmaDailyBps">Daily-equivalent volatility of the mid around arrival, bps.</param>
/// <param name="Participation">Parent quantity over market volume during the parent's life (X/(V·T)).</param>
/// <param name="QueueAheadRatio">Displayed size at the joined touch over the first child's size.</param>
/// <param name="LatencyUs">Median send-to-ack latency of the parent's children, µs (NaN if none).</param>
/// <param name="PassiveFillRatio">Filled passive quantity over posted passive quantity (NaN if nothing posted).</param>
/// <param name="Strategy">The parent's execution algorithm (twap, pov, ...): the baseline fits each separately.</param>
/// <param name="MarketMoveEarlyBps">
/// The market's own move over the first half of the parent's scheduled horizon, signed by side: side·(TWAP of the mid
/// over [arrival, midpoint] − arrival mid)/arrival mid, bps (NaN without quotes). Exogenous to how the parent was
/// worked — it uses the schedule, not the fills — so the baseline can net it out of IS without absorbing IOMMU cost.
/// </param>
/// <param name="MarketMoveLateBps">The same over the second half, [midpoint, deadline].</param>
public sealed record ParentRecord(
    string ParentId,
    string Host,
    string Pool,
    string Strategy,
    string Symbol,
    string SessionSegment,
    string LiquidityBucket,
    long ArrivalNs,
    long EndNs,
    double HalfSpreadBps,
    double SigmaDailyBps,
    double Participation,
    double QueueAheadRatio,
    double LatencyUs,
    double PassiveFillRatio,
    double MarketMoveEarlyBps,
    double MarketMoveLateBps,
    double IsBps,
    double DelayBps,
    double ImpactBps,
    double MissBps,
    float[] Features);
