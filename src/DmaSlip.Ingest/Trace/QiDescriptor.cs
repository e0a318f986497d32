namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Decoded VT-d queued-invalidation descriptor (intel_iommu:qi_submit, drivers/iommu/intel/iommu.h): type in qw0
/// bits 3:0; for IOTLB descriptors the domain id in bits 31:16 and the granularity in bits 5:4 (1 global, 2 domain,
/// 3 page-selective); qw1 holds the address (bits 63:12) and the address mask AM (bits 5:0, log2 of 4 KiB pages).
/// </summary>
internal readonly record struct QiDescriptor(int Type, string TypeName, int DomainId, int Granularity, ulong Address, int AddressMask)
{
    /// <summary>Bytes a page-selective IOTLB invalidation covers (4 KiB × 2^AM); 0 for global/domain-wide and other types.</summary>
    public long InvalidatedBytes => IsIotlb && Granularity == 3 ? 4096L << AddressMask : 0;

    public bool IsIotlb => Type is 0x2 or 0x6;

    /// <summary>Domain-selective or global IOTLB flush: what a lazy-mode flush-queue drain looks like.</summary>
    public bool IsDomainWide => IsIotlb && Granularity is 1 or 2;

    public static QiDescriptor Decode(ulong qw0, ulong qw1)
    {
        var type = (int)(qw0 & 0xf);
        var name = type switch
        {
            0x1 => "cc_inv",
            0x2 => "iotlb_inv",
            0x3 => "dev_tlb_inv",
            0x4 => "iec_inv",
            0x5 => "inv_wait",
            0x6 => "p_iotlb_inv",
            0x7 => "pc_inv",
            0x8 => "p_dev_tlb_inv",
            0x9 => "page_grp_resp",
            0xa => "pstrm_resp",
            _ => "unknown",
        };
        var iotlb = type is 0x2 or 0x6;
        return new QiDescriptor(
            type,
            name,
            iotlb ? (int)((qw0 >> 16) & 0xffff) : 0,
            iotlb ? (int)((qw0 >> 4) & 0x3) : 0,
            iotlb ? qw1 & ~0xfffUL : 0,
            iotlb ? (int)(qw1 & 0x3f) : 0);
    }
}
