using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Fast paths for the bodies that make up nearly all of a flush-storm trace (iommu map/unmap, qi_submit, napi_poll, net
/// rx/tx).
/// Each walks the body once, left to right, in the exact layout the kernel prints; it accepts a body only when the
/// general field search (<see cref="Ascii.Field"/>, <see cref="NextAfter"/>: the first token starting with a key)
/// would find the same values, and otherwise returns false so the general code decides (and words the error).
/// Why: the general code runs one substring search per field over the whole body and a branchy hex loop.
/// </summary>
internal static partial class TraceEventDecoder
{
    // "IOMMU: iova=0x.. [- 0x..] paddr=0x.. size=N" — the tokens before each key cannot start with it
    private static bool FastMap(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        if (!body.StartsWith("IOMMU: iova="u8))
        {
            return false;
        }
        var pos = "IOMMU: iova="u8.Length;
        if (!Hex(body, ref pos, out var iova) || !Space(body, ref pos) || !SkipRangeEnd(body, ref pos)
            || !Key(body, ref pos, "paddr="u8) || !Hex(body, ref pos, out var paddr) || !Space(body, ref pos)
            || !Key(body, ref pos, "size="u8) || !Dec(body, ref pos, out var size))
        {
            return false;
        }
        e.Kind = HostEventKind.Map;
        e.Size = size;
        e.Value = (long)iova;
        e.Aux = (long)paddr;
        return true;
    }

    // "IOMMU: iova=0x.. [- 0x..] size=N unmapped_size=N"
    private static bool FastUnmap(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        if (!body.StartsWith("IOMMU: iova="u8))
        {
            return false;
        }
        var pos = "IOMMU: iova="u8.Length;
        if (!Hex(body, ref pos, out var iova) || !Space(body, ref pos) || !SkipRangeEnd(body, ref pos)
            || !Key(body, ref pos, "size="u8) || !Dec(body, ref pos, out var size) || !Space(body, ref pos)
            || !Key(body, ref pos, "unmapped_size="u8) || !Dec(body, ref pos, out var unmapped))
        {
            return false;
        }
        e.Kind = HostEventKind.Unmap;
        e.Size = size;
        e.Value = (long)iova;
        e.Aux = unmapped;
        return true;
    }

    // "napi poll on napi struct <hex ptr> for device <dev> work W budget B". The first "device ", "work " and
    // "budget " are these ones: the fixed words and a hex pointer cannot contain them, and a device name ending in
    // "work" or "budget" goes to the general code.
    private static bool FastNapiPoll(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var pos = "napi poll on napi struct "u8.Length;
        if (body.Length > pos + 2 && body[pos] == '0' && (body[pos + 1] | 0x20) == 'x')
        {
            pos += 2;
        }
        var ptr = pos;
        while (pos < body.Length && Ascii.HexValue(body[pos]) <= 15)
        {
            pos++;
        }
        if (pos == ptr || !Key(body, ref pos, " for device "u8))
        {
            return false;
        }
        var dev = pos;
        while (pos < body.Length && !Ascii.IsSpace(body[pos]))
        {
            pos++;
        }
        var device = body[dev..pos];
        if (device.IsEmpty || device.EndsWith("work"u8) || device.EndsWith("budget"u8)
            || !Key(body, ref pos, " work "u8) || !Dec(body, ref pos, out var work)
            || !Key(body, ref pos, " budget "u8) || !Dec(body, ref pos, out var budget))
        {
            return false;
        }
        e.Kind = HostEventKind.NapiPoll;
        e.Device = device;
        e.Value = work;
        e.Aux = budget;
        return true;
    }

    // netif_receive_skb "dev=D skbaddr=P len=N", net_dev_xmit "dev=D skbaddr=P len=N rc=R" (blank runs between tokens
    // as Ascii.Field splits them): the tokens before "len=" and "rc=" are "dev=.." and "skbaddr=..", which cannot start
    // with those keys.
    private static bool FastNet(ReadOnlySpan<byte> body, bool xmit, ref DecodedEvent e)
    {
        if (!body.StartsWith("dev="u8))
        {
            return false;
        }
        var pos = 4;
        SkipToken(body, ref pos);
        var dev = body[4..pos];
        if (dev.IsEmpty || !Blanks(body, ref pos) || !Key(body, ref pos, "skbaddr="u8))
        {
            return false;
        }
        SkipToken(body, ref pos);
        if (!Blanks(body, ref pos) || !Key(body, ref pos, "len="u8) || !Dec(body, ref pos, out var len))
        {
            return false;
        }
        long rc = 0;
        if (xmit && (!Blanks(body, ref pos) || !Key(body, ref pos, "rc="u8) || !Dec(body, ref pos, out rc)))
        {
            return false;
        }
        e.Device = dev;
        e.Size = len;
        e.Kind = xmit ? HostEventKind.Tx : HostEventKind.Rx;
        e.Value = rc;
        return true;
    }

    // "<type> dmarN: 0xqw0 0xqw1 0xqw2 0xqw3" with single spaces: the six tokens Ascii.NextToken would give
    private static bool FastQiSubmit(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var pos = 0;
        SkipToken(body, ref pos);
        if (pos == 0 || !Space(body, ref pos))
        {
            return false;
        }
        var unitStart = pos;
        SkipToken(body, ref pos);
        var unit = body[unitStart..pos];
        if (unit.Length < 2 || unit[^1] != ':' || !Space(body, ref pos)
            || !Hex(body, ref pos, out var qw0) || !Space(body, ref pos) || !Hex(body, ref pos, out var qw1) || !Space(body, ref pos)
            || !Hex(body, ref pos, out _) || !Space(body, ref pos) || !Hex(body, ref pos, out _))
        {
            return false;
        }
        var d = QiDescriptor.Decode(qw0, qw1);
        e.Kind = HostEventKind.QiSubmit;
        e.Device = unit[..^1];
        e.Size = d.InvalidatedBytes;
        e.Aux = (long)qw0;
        e.Value = 0; // latency is not in the event
        return true;
    }

    private static void SkipToken(ReadOnlySpan<byte> b, ref int pos)
    {
        while (pos < b.Length && !Ascii.IsSpace(b[pos]))
        {
            pos++;
        }
    }

    // one or more blanks, then more text
    private static bool Blanks(ReadOnlySpan<byte> b, ref int pos)
    {
        var p = pos;
        while (p < b.Length && Ascii.IsSpace(b[p]))
        {
            p++;
        }
        if (p == pos || p == b.Length)
        {
            return false;
        }
        pos = p;
        return true;
    }

    // "0x" then 1-16 hex digits ending the token (end of body or whitespace): what Ascii.TryHex accepts of a token
    private static bool Hex(ReadOnlySpan<byte> b, ref int pos, out ulong v)
    {
        v = 0;
        var p = pos;
        if (p + 2 >= b.Length || b[p] != '0' || (b[p + 1] | 0x20) != 'x')
        {
            return false;
        }
        p += 2;
        var start = p;
        if (p + 16 <= b.Length && Ascii.TryHex16(b.Slice(p, 16), out v))
        {
            // the kernel prints addresses as %016llx; a 17th hex digit fails the end check below, as it would in the loop
            p += 16;
        }
        while (p - start < 16 && p < b.Length)
        {
            var d = Ascii.HexValue(b[p]);
            if (d > 15)
            {
                break;
            }
            v = (v << 4) | d;
            p++;
        }
        if (p == start || p - start > 16 || (p < b.Length && !Ascii.IsSpace(b[p])))
        {
            return false;
        }
        pos = p;
        return true;
    }

    // 1-18 decimal digits ending the token: what Ascii.TryLong accepts of a token without a sign, with no overflow
    private static bool Dec(ReadOnlySpan<byte> b, ref int pos, out long v)
    {
        v = 0;
        var p = pos;
        while (p < b.Length && Ascii.IsDigit(b[p]))
        {
            v = (v * 10) + (b[p] - '0');
            p++;
        }
        if (p == pos || p - pos > 18 || (p < b.Length && !Ascii.IsSpace(b[p])))
        {
            return false;
        }
        pos = p;
        return true;
    }

    private static bool Space(ReadOnlySpan<byte> b, ref int pos)
    {
        if (pos < b.Length && b[pos] == ' ')
        {
            pos++;
            return true;
        }
        return false;
    }

    private static bool Key(ReadOnlySpan<byte> b, ref int pos, ReadOnlySpan<byte> key)
    {
        if (b[pos..].StartsWith(key))
        {
            pos += key.Length;
            return true;
        }
        return false;
    }

    // the "- 0x<end> " of the 5.x+ map/unmap layouts, when present
    private static bool SkipRangeEnd(ReadOnlySpan<byte> b, ref int pos)
    {
        if (!b[pos..].StartsWith("- "u8))
        {
            return true;
        }
        pos += 2;
        return Hex(b, ref pos, out _) && Space(b, ref pos);
    }
}
