using DmaSlip.Core.Attribution;

namespace DmaSlip.Core.Domain;

/// <summary>A parent order (<c>parent_orders</c>). Side: +1 buy, −1 sell.</summary>
public sealed record ParentOrder(
    string ParentId,
    string Symbol,
    int Side,
    long Qty,
    long ArrivalTsNs,
    double ArrivalMid,
    long DeadlineTsNs,
    string Strategy,
    string Host,
    string Pool,
    string Urgency);

/// <summary>One order lifecycle event (<c>order_events</c>). <see cref="ExecId"/> is empty except for fills.</summary>
public sealed record OrderEvent(
    long TsNs,
    string ParentId,
    string ChildId,
    string ClOrdId,
    string? OrigClOrdId,
    OrderEventKind Kind,
    double Price,
    long Qty,
    string Venue,
    string Host,
    int Queue,
    Liquidity Liquidity,
    string ExecId);

/// <summary>Execution timing features per (host, symbol, window) (<c>exec_frames</c>, DESIGN §4.2). Latencies in ns.</summary>
public sealed record ExecFrame(
    string Host,
    string Symbol,
    long WindowStartNs,
    long WindowNs,
    double? IngressGapVarianceUs2,
    double? DecisionToSendP50Ns,
    double? DecisionToSendP95Ns,
    double? DecisionToSendP99Ns,
    double? CancelAckDriftNs,
    double? ReplaceAckDriftNs,
    double? BurstIndex,
    double? PhaseErrorP95Ns,
    long Children);

/// <summary>
/// Outcome and IS decomposition of one parent order (<c>parent_outcomes</c>, DESIGN §4.3–4.4). Currency amounts
/// are in the symbol's currency; bps are of Q·P_d. The C_iommu terms are null until a model has estimated them.
/// </summary>
public sealed record ParentOutcome(
    string ParentId,
    string Host,
    string Pool,
    string Symbol,
    long ExecutedQty,
    double IsCcy,
    double IsBps,
    double CDelayBps,
    double CImpactBps,
    double CMissBps,
    double? CIommuBps,
    double? CDmaJitterBps,
    double? CServiceBurstBps,
    double? CQueueDecayBps,
    double? BaselineIsBps,
    double? PassiveFillRatio,
    double? Markout10msBps,
    double? Markout100msBps,
    double? Markout1sBps,
    double? Markout5sBps,
    string Branch,
    PressureBucket PressureBucket,
    string LiquidityBucket,
    string SessionSegment,
    double? CIommuLowBps = null,
    double? CIommuHighBps = null,
    string? IommuMethod = null,
    double? DeltaIsMeanBps = null,
    double? DeltaIsQ95Bps = null,
    double? IsHatFinalBps = null);

/// <summary>Ground truth of the simulator for one parent order (<c>truth_parent</c>): the calm twin's difference.</summary>
public sealed record TruthParent(
    string ParentId,
    string Host,
    string Pool,
    string Symbol,
    double IsBps,
    double CalmIsBps,
    double DeltaIsBps,
    double DeltaDelayBps,
    double DeltaImpactBps,
    double DeltaMissBps,
    bool InStorm);
