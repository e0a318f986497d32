namespace DmaSlip.Simulation.Host;

/// <summary>What one queue (and the CPU that serves it) did in one 1 ms step. Observers read it; the model writes it.</summary>
internal struct QueueStep
{
    public int Cpu;
    public int RxArrived;
    public int RxProcessed;
    public int RxDropped;
    public int Tx;
    public int Maps;
    public int Unmaps;
    /// <summary>Page-selective invalidations submitted synchronously (strict mode).</summary>
    public int Invalidations;
    /// <summary>Domain-wide flushes this CPU performed (lazy: flush queue full inline, or the 10 ms timer it armed).</summary>
    public int Flushes;
    public int NapiPolls;
    public int NapiFullPolls;
    public int LastPollWork;
    public int TimeSqueeze;
    public int RingUsed;
    public int DmaCount;
    public int IotlbMisses;
    public int FlushQueuePending;
    public double SpinNs;
    public double InvalidationLatencyNs;
    /// <summary>Mean DMA completion time of the step (what the ingest delay uses).</summary>
    public double DmaLatencyNs;
    /// <summary>Completion time of a DMA whose translation hit the IOTLB, and of one that missed (page walk, queued on the walkers).</summary>
    public double DmaHitNs, DmaMissNs;
    /// <summary>DMAs whose completion landed while the CPU spun with interrupts off, and their completion time as the driver sees it.</summary>
    public int DmaStalled;
    public double DmaStalledNs;
    /// <summary>Sends held back to the next step because the CPU was saturated (softirq/ksoftirqd left the sender no time).</summary>
    public int TxDeferred;
    public double PollDurationNs;
    public double IngestDelayNs;
    public double ChurnShare;
    public bool Storm;
}

/// <summary>Host-wide state of one step: the shared invalidation queue and page walkers.</summary>
internal struct HostStep
{
    public int Descriptors;
    public double QiUtilization;
    public double QiBacklogNs;
    public double WalkUtilization;
    public double SendDelayNs;
    public double IngestDelayNs;
    public bool Storm;
    public bool Saturated;
}

/// <summary>Cumulative counters of one queue since boot, as ethtool/softnet would show them.</summary>
internal struct QueueCounters
{
    public long RxPackets, RxBytes, TxPackets, TxBytes, RxOutOfBuffer;
    public long PpAllocFast, PpAllocSlow, PpAllocEmpty, PpRecycleCached, PpRecycleRing, PpRecycleRingFull, PpReleasedRef;
    public long Polls, Arms, Events;
    public long SoftnetProcessed, SoftnetSqueeze;
    public long Maps, Unmaps, Invalidations, Flushes, IotlbLookups, IotlbMisses;
}
