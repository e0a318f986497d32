namespace DmaSlip.Core.Domain;

/// <summary>How the kernel runs DMA translation for a device (sysfs <c>iommu_groups/*/type</c>).</summary>
public enum IommuMode
{
    /// <summary>DMA domain, synchronous IOTLB invalidation on every unmap (<c>iommu.strict=1</c>).</summary>
    Strict,
    /// <summary>DMA-FQ domain: unmaps queue into per-CPU flush queues, flushed domain-wide in batches.</summary>
    Lazy,
    /// <summary>Identity domain: no translation, no invalidation cost, no DMA isolation.</summary>
    Passthrough,
}

/// <summary>Kinds of raw host events (tracepoints and simulator events).</summary>
public enum HostEventKind
{
    /// <summary>IOVA mapping created (iommu:map, dma:*map*).</summary>
    Map,
    /// <summary>IOVA mapping removed (iommu:unmap, dma:*unmap*).</summary>
    Unmap,
    /// <summary>Domain-wide or ranged IOTLB flush (cache_tag_flush_*, flush-queue drain).</summary>
    Flush,
    /// <summary>Invalidation descriptor submitted to the queued-invalidation ring (intel_iommu:qi_submit). Value = latency ns when known.</summary>
    QiSubmit,
    /// <summary>iommu:io_page_fault.</summary>
    PageFault,
    /// <summary>napi:napi_poll. Value = work, Aux = budget, Size = poll duration ns when known.</summary>
    NapiPoll,
    /// <summary>net:netif_receive_skb. Size = bytes.</summary>
    Rx,
    /// <summary>net:net_dev_xmit. Size = bytes.</summary>
    Tx,
    /// <summary>A DMA completed. Value = completion latency ns.</summary>
    DmaComplete,
    /// <summary>RX ring occupancy sample. Value = used descriptors, Aux = ring size.</summary>
    RingOccupancy,
    /// <summary>Buffer allocation sample. Value = 1 when the buffer is on the NIC's NUMA node, else 0.</summary>
    BufferPlacement,
}

/// <summary>Kinds of order lifecycle events.</summary>
public enum OrderEventKind
{
    Decision,
    Send,
    Ack,
    Replace,
    ReplaceAck,
    Cancel,
    CancelAck,
    Fill,
    Reject,
    Expire,
}

/// <summary>Whether a fill added (passive) or took (aggressive) liquidity.</summary>
public enum Liquidity
{
    Unknown,
    Passive,
    Aggressive,
}
