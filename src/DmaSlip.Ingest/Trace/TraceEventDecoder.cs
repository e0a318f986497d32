using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>Outcome of decoding one event body.</summary>
internal enum DecodeResult
{
    Used,
    NotUsed,
    Malformed,
}

/// <summary>A decoded event: the <see cref="HostEvent"/> fields plus the device text (a span into the line).</summary>
internal ref struct DecodedEvent
{
    public HostEventKind Kind;
    public ReadOnlySpan<byte> Device;
    public long Size;
    public long Value;
    public long Aux;
    public string? Reason;
}

/// <summary>
/// Decodes the TP_printk bodies of the tracepoints DmaSlip uses (linux-telemetry.md §1). Event names come without
/// their system in ftrace text (<c>map:</c>, not <c>iommu:map:</c>), so a generic name like <c>map</c> is only taken
/// as iommu's when the system says so or the body starts with <c>IOMMU:</c>; otherwise it is another event (not used).
/// </summary>
internal static partial class TraceEventDecoder
{
    public static DecodeResult Decode(ReadOnlySpan<byte> system, ReadOnlySpan<byte> name, ReadOnlySpan<byte> body, out DecodedEvent e)
    {
        e = default;
        // the names below differ in their first byte (or, for 'n', are told apart by the comparisons): one jump instead
        // of a chain of comparisons that every unused event (sched_*, ...) would run to its end
        switch (name.IsEmpty ? 0 : name[0])
        {
            case (byte)'m' or (byte)'u' when name.SequenceEqual("map"u8) || name.SequenceEqual("unmap"u8):
                if (!IsSystem(system, "iommu"u8) || (system.IsEmpty && !body.StartsWith("IOMMU:"u8)))
                {
                    return DecodeResult.NotUsed;
                }
                return name.Length == 3 ? IommuMap(body, ref e) : IommuUnmap(body, ref e);
            case (byte)'i' when name.SequenceEqual("io_page_fault"u8):
                return IsSystem(system, "iommu"u8) ? PageFault(body, ref e) : DecodeResult.NotUsed;
            case (byte)'d' when name.StartsWith("dma_"u8) && IsSystem(system, "dma"u8) && !name.StartsWith("dma_fence"u8):
                return Dma(name, body, ref e);
            case (byte)'q' when name.SequenceEqual("qi_submit"u8):
                return IsSystem(system, "intel_iommu"u8) ? QiSubmit(body, ref e) : DecodeResult.NotUsed;
            case (byte)'c' when name.StartsWith("cache_tag_flush"u8):
                return IsSystem(system, "intel_iommu"u8) ? CacheTagFlush(name, body, ref e) : DecodeResult.NotUsed;
            case (byte)'n' when name.SequenceEqual("napi_poll"u8):
                return IsSystem(system, "napi"u8) ? NapiPoll(body, ref e) : DecodeResult.NotUsed;
            case (byte)'n' when name.SequenceEqual("netif_receive_skb"u8) || name.SequenceEqual("net_dev_xmit"u8):
                return IsSystem(system, "net"u8) ? Net(name, body, ref e) : DecodeResult.NotUsed;
            default:
                return DecodeResult.NotUsed;
        }
    }

    private static bool IsSystem(ReadOnlySpan<byte> system, ReadOnlySpan<byte> want) => system.IsEmpty || system.SequenceEqual(want);

    private static DecodeResult Bad(ref DecodedEvent e, string reason)
    {
        e.Reason = reason;
        return DecodeResult.Malformed;
    }

    // "IOMMU: iova=0x... [- 0x...] paddr=0x... size=N" (the "- end" group is absent on 4.x/early 5.x kernels)
    private static DecodeResult IommuMap(ReadOnlySpan<byte> body, ref DecodedEvent e) => FastMap(body, ref e) ? DecodeResult.Used : IommuMapGeneral(body, ref e);

    // kept out of line so that its locals do not weigh on the fast path's frame
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult IommuMapGeneral(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        if (!Ascii.TryHex(Ascii.Field(body, "iova="u8), out var iova)
            || !Ascii.TryHex(Ascii.Field(body, "paddr="u8), out var paddr)
            || !Ascii.TryLong(Ascii.Field(body, "size="u8), out var size))
        {
            return Bad(ref e, "iommu:map: expected iova=0x.. paddr=0x.. size=N");
        }
        e.Kind = HostEventKind.Map;
        e.Size = size;
        e.Value = (long)iova;
        e.Aux = (long)paddr;
        return DecodeResult.Used;
    }

    private static DecodeResult IommuUnmap(ReadOnlySpan<byte> body, ref DecodedEvent e) => FastUnmap(body, ref e) ? DecodeResult.Used : IommuUnmapGeneral(body, ref e);

    // kept out of line so that its locals do not weigh on the fast path's frame
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult IommuUnmapGeneral(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        if (!Ascii.TryHex(Ascii.Field(body, "iova="u8), out var iova)
            || !Ascii.TryLong(Ascii.Field(body, "size="u8), out var size)
            || !Ascii.TryLong(Ascii.Field(body, "unmapped_size="u8), out var unmapped))
        {
            return Bad(ref e, "iommu:unmap: expected iova=0x.. size=N unmapped_size=N");
        }
        e.Kind = HostEventKind.Unmap;
        e.Size = size;
        e.Value = (long)iova;
        e.Aux = unmapped;
        return DecodeResult.Used;
    }

    // "IOMMU:<driver> <device> iova=0x... flags=0x...."
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult PageFault(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var pos = 0;
        var driver = Ascii.NextToken(body, ref pos);
        var device = Ascii.NextToken(body, ref pos);
        if (!driver.StartsWith("IOMMU:"u8) || device.IsEmpty
            || !Ascii.TryHex(Ascii.Field(body, "iova="u8), out var iova)
            || !Ascii.TryHex(Ascii.Field(body, "flags="u8), out var flags))
        {
            return Bad(ref e, "iommu:io_page_fault: expected IOMMU:<driver> <device> iova=0x.. flags=0x..");
        }
        e.Kind = HostEventKind.PageFault;
        e.Device = device;
        e.Value = (long)iova;
        e.Aux = (long)flags;
        return DecodeResult.Used;
    }

    // dma:* — "<dev> [dir=X] dma_addr=<hex> size=N ..." (6.12 alloc/free had no dir=); *_sg carry arrays "{0x..,0x..}"
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult Dma(ReadOnlySpan<byte> name, ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        bool map;
        if (name.StartsWith("dma_map"u8) || name.StartsWith("dma_alloc"u8))
        {
            map = true;
        }
        else if (name.StartsWith("dma_unmap"u8) || name.StartsWith("dma_free"u8))
        {
            map = false;
        }
        else
        {
            return DecodeResult.NotUsed; // dma_sync_*, ...
        }
        if (name.EndsWith("_err"u8))
        {
            return DecodeResult.NotUsed; // a failed mapping maps nothing
        }
        var pos = 0;
        var device = Ascii.NextToken(body, ref pos);
        if (device.IsEmpty || device.IndexOf((byte)'=') >= 0)
        {
            return Bad(ref e, "dma: expected the device name first");
        }
        long size = 0;
        ulong addr = 0;
        var addrField = Ascii.Field(body, "dma_addr="u8);
        if (!addrField.IsEmpty)
        {
            if (!Ascii.TryHex(addrField, out addr) || !Ascii.TryLong(Ascii.Field(body, "size="u8), out size))
            {
                return Bad(ref e, "dma: expected dma_addr=<hex> size=N");
            }
        }
        else if (!SgArrays(body, out addr, out size))
        {
            return Bad(ref e, "dma: expected dma_addr= or dma_addrs={..}/phys_addrs={..}");
        }
        e.Kind = map ? HostEventKind.Map : HostEventKind.Unmap;
        e.Device = device;
        e.Size = size;
        e.Value = (long)addr;
        return DecodeResult.Used;
    }

    private static bool SgArrays(ReadOnlySpan<byte> body, out ulong first, out long total)
    {
        first = 0;
        total = 0;
        var addrs = Ascii.Field(body, "dma_addrs="u8);
        if (addrs.IsEmpty)
        {
            addrs = Ascii.Field(body, "phys_addrs="u8);
        }
        if (addrs.Length < 2 || addrs[0] != '{' || addrs[^1] != '}')
        {
            return false;
        }
        var inner = addrs[1..^1];
        var comma = inner.IndexOf((byte)',');
        if (inner.Length > 0 && !Ascii.TryHex(comma < 0 ? inner : inner[..comma], out first))
        {
            return false;
        }
        var sizes = Ascii.Field(body, "sizes="u8);
        if (sizes.Length >= 2 && sizes[0] == '{' && sizes[^1] == '}')
        {
            var s = sizes[1..^1];
            while (!s.IsEmpty)
            {
                var c = s.IndexOf((byte)',');
                var item = c < 0 ? s : s[..c];
                if (Ascii.TryLong(item, out var v) || (Ascii.TryHex(item, out var hv) && (v = (long)hv) >= 0))
                {
                    total += v;
                }
                else
                {
                    return false;
                }
                s = c < 0 ? default : s[(c + 1)..];
            }
        }
        return true;
    }

    // "<type> dmarN: 0xqw0 0xqw1 0xqw2 0xqw3"
    private static DecodeResult QiSubmit(ReadOnlySpan<byte> body, ref DecodedEvent e) => FastQiSubmit(body, ref e) ? DecodeResult.Used : QiSubmitGeneral(body, ref e);

    // kept out of line so that its locals do not weigh on the fast path's frame
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult QiSubmitGeneral(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var pos = 0;
        var type = Ascii.NextToken(body, ref pos);
        var unit = Ascii.NextToken(body, ref pos);
        var w0 = Ascii.NextToken(body, ref pos);
        var w1 = Ascii.NextToken(body, ref pos);
        var w2 = Ascii.NextToken(body, ref pos);
        var w3 = Ascii.NextToken(body, ref pos);
        if (type.IsEmpty || unit.Length < 2 || unit[^1] != ':'
            || !Ascii.TryHex(w0, out var qw0) || !Ascii.TryHex(w1, out var qw1) || !Ascii.TryHex(w2, out _) || !Ascii.TryHex(w3, out _))
        {
            return Bad(ref e, "intel_iommu:qi_submit: expected <type> dmarN: 0xqw0 0xqw1 0xqw2 0xqw3");
        }
        SetQiSubmit(ref e, unit, qw0, qw1);
        return DecodeResult.Used;
    }

    /// <summary>A decoded qi_submit descriptor as an event (shared by the fast and the general path).</summary>
    private static void SetQiSubmit(ref DecodedEvent e, ReadOnlySpan<byte> unitWithColon, ulong qw0, ulong qw1)
    {
        var d = QiDescriptor.Decode(qw0, qw1);
        e.Kind = HostEventKind.QiSubmit;
        e.Device = unitWithColon[..^1];
        e.Size = d.InvalidatedBytes;
        e.Aux = (long)qw0;
        e.Value = 0; // latency is not in the event
    }

    // flush_all: "dmarN/<bdf> type iotlb did D pasid P ref R"
    // flush_range(_np): "dmarN <bdf>[pasid] type iotlb did D [0xs-0xe] addr 0xA pages 0xP mask 0xM"
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult CacheTagFlush(ReadOnlySpan<byte> name, ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var pos = 0;
        var first = Ascii.NextToken(body, ref pos);
        if (!Ascii.TryLong(NextAfter(body, "did "u8), out var did))
        {
            return Bad(ref e, "intel_iommu:cache_tag_flush: expected 'did N'");
        }
        if (name.SequenceEqual("cache_tag_flush_all"u8))
        {
            var slash = first.IndexOf((byte)'/');
            if (slash < 0)
            {
                return Bad(ref e, "intel_iommu:cache_tag_flush_all: expected dmarN/<device>");
            }
            e.Device = first[(slash + 1)..];
            e.Aux = 0;
        }
        else if (name.StartsWith("cache_tag_flush_range"u8))
        {
            var dev = Ascii.NextToken(body, ref pos);
            var br = dev.IndexOf((byte)'[');
            if (br >= 0)
            {
                dev = dev[..br];
            }
            if (dev.IsEmpty || !Ascii.TryHex(NextAfter(body, "pages "u8), out var pages))
            {
                return Bad(ref e, "intel_iommu:cache_tag_flush_range: expected '<dmar> <dev>[pasid] ... pages 0xN'");
            }
            e.Device = dev;
            e.Size = (long)pages * 4096;
            e.Aux = name.EndsWith("_np"u8) ? 2 : 1;
        }
        else
        {
            return DecodeResult.NotUsed;
        }
        e.Kind = HostEventKind.Flush;
        e.Value = did;
        return DecodeResult.Used;
    }

    private static ReadOnlySpan<byte> NextAfter(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key)
    {
        var i = body.IndexOf(key);
        if (i < 0 || (i > 0 && body[i - 1] != ' '))
        {
            return default;
        }
        var pos = i + key.Length;
        return Ascii.NextToken(body, ref pos);
    }

    // "napi poll on napi struct <p> for device <dev> work W budget B"
    private static DecodeResult NapiPoll(ReadOnlySpan<byte> body, ref DecodedEvent e) => FastNapiPoll(body, ref e) ? DecodeResult.Used : NapiPollGeneral(body, ref e);

    // kept out of line so that its locals do not weigh on the fast path's frame
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult NapiPollGeneral(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        if (!body.StartsWith("napi poll on napi struct "u8))
        {
            return Bad(ref e, "napi:napi_poll: expected 'napi poll on napi struct'");
        }
        var dev = NextAfter(body, "device "u8);
        if (dev.IsEmpty || !Ascii.TryLong(NextAfter(body, "work "u8), out var work) || !Ascii.TryLong(NextAfter(body, "budget "u8), out var budget))
        {
            return Bad(ref e, "napi:napi_poll: expected 'for device D work W budget B'");
        }
        e.Kind = HostEventKind.NapiPoll;
        e.Device = dev;
        e.Value = work;
        e.Aux = budget;
        return DecodeResult.Used;
    }

    // netif_receive_skb: "dev=D skbaddr=P len=N"; net_dev_xmit: "dev=D skbaddr=P len=N rc=R"
    private static DecodeResult Net(ReadOnlySpan<byte> name, ReadOnlySpan<byte> body, ref DecodedEvent e) => FastNet(body, name.Length == "net_dev_xmit".Length, ref e) ? DecodeResult.Used : NetGeneral(name, body, ref e);

    // kept out of line so that its locals do not weigh on the fast path's frame
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DecodeResult NetGeneral(ReadOnlySpan<byte> name, ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var dev = Ascii.Field(body, "dev="u8);
        if (dev.IsEmpty || !Ascii.TryLong(Ascii.Field(body, "len="u8), out var len))
        {
            return Bad(ref e, "net: expected dev=D ... len=N");
        }
        e.Device = dev;
        e.Size = len;
        if (name.Length == "net_dev_xmit".Length)
        {
            if (!Ascii.TryLong(Ascii.Field(body, "rc="u8), out var rc))
            {
                return Bad(ref e, "net:net_dev_xmit: expected rc=N");
            }
            e.Kind = HostEventKind.Tx;
            e.Value = rc;
        }
        else
        {
            e.Kind = HostEventKind.Rx;
        }
        return DecodeResult.Used;
    }
}
