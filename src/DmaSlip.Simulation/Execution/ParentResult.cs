namespace DmaSlip.Simulation.Execution;

/// <summary>Outcome of one parent order in one run (real or twin). Costs in currency, bps of Q·P_d.</summary>
internal readonly record struct ParentResult(
    long ExecutedQty,
    double ArrivalMid,
    double FirstSendMid,
    double EndMid,
    double IsBps,
    double DelayBps,
    double ImpactBps,
    double MissBps,
    int Children,
    int Replaces,
    long PassiveQty,
    long AggressiveQty,
    long PostedQty,
    double MeanSendDelayNs);

/// <summary>One FIX message of the order flow (outbound D/G/F or inbound 8), kept compact until the log is written.</summary>
internal struct FixEvent
{
    /// <summary>Log prefix time: wire time for outbound, receive time for inbound.</summary>
    public long LogNs;
    /// <summary>TransactTime(60): decision time for outbound, venue event time for execution reports.</summary>
    public long TransactNs;
    public int Host;
    public int Parent;
    public char MsgType;
    public char ExecType;
    public char OrdStatus;
    public int Child;
    public int ClOrd;
    public int OrigClOrd;
    public int PriceTick;
    public long OrderQty;
    public long LastQty;
    public int LastPxTick;
    public long CumQty;
    public long LeavesQty;
    public byte Liquidity;
    public bool Ioc;
    public int ExecSeq;
    /// <summary>Order of creation within the parent (ties in the log sort by it).</summary>
    public int Seq;
}
