using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Fast paths for the bodies that make up nearly all of a flush-storm trace (iommu map/unmap, qi_submit, napi_poll, net
/// rx/tx).
/// Each walks the body once, left to right, in the exact layout the kernel prints; it accepts a body only when the
/// general field search (<see cref="Ascii.Field"/>, <see cref="NextAfter"/>: the first token starting with a key)
/// would find the same values, and otherwise returns false so the general code decides (and words the error).
/// Why: the general code runs one substring search per field over the whole body and a branchy hex loop. The helpers
/// take and return positions (-1: no match, and every helper passes -1 on) rather than <c>ref int</c>, so that the
/// position stays in a register instead of being stored and reloaded on every byte.
/// </summary>
internal static partial class TraceEventDecoder
{
    // "IOMMU: iova=0x.. [- 0x..] paddr=0x.. size=N" — the tokens before each key cannot start with it
    private static bool FastMap(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var p = IovaStart(body, out var iova);
        p = Space(body, Hex(body, Key(body, p, "paddr="u8), out var paddr));
        p = Dec(body, Key(body, p, "size="u8), out var size);
        if (p < 0)
        {
            return false;
        }
        e.Kind = HostEventKind.Map;
        e.Size = size;
        e.Value = (long)iova;
        e.Aux = (long)paddr;
        return true;
    }

    /// <summary>The common head of map and unmap bodies, "IOMMU: iova=0x.. [- 0x..] ": position after it, or -1.</summary>
    private static int IovaStart(ReadOnlySpan<byte> body, out ulong iova)
    {
        if (!body.StartsWith("IOMMU: iova="u8))
        {
            iova = 0;
            return -1;
        }
        return SkipRangeEnd(body, Space(body, Hex(body, "IOMMU: iova="u8.Length, out iova)));
    }

    // "IOMMU: iova=0x.. [- 0x..] size=N unmapped_size=N"
    private static bool FastUnmap(ReadOnlySpan<byte> body, ref DecodedEvent e)
    {
        var p = IovaStart(body, out var iova);
        p = Space(body, Dec(body, Key(body, p, "size="u8), out var size));
        p = Dec(body, Key(body, p, "unmapped_size="u8), out var unmapped);
        if (p < 0)
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
        if (!body.StartsWith("napi poll on napi struct "u8))
        {
            return false;
        }
        var p = "napi poll on napi struct "u8.Length;
        if (body.Length > p + 2 && body[p] == '0' && (body[p + 1] | 0x20) == 'x')
        {
            p += 2;
        }
        var ptr = p;
        while (p < body.Length && Ascii.HexValue(body[p]) <= 15)
        {
            p++;
        }
        if (p == ptr)
        {
            return false;
        }
        var dev = Key(body, p, " for device "u8);
        if (dev < 0)
        {
            return false;
        }
        p = SkipToken(body, dev);
        var device = body[dev..p];
        if (device.IsEmpty || device.EndsWith("work"u8) || device.EndsWith("budget"u8))
        {
            return false;
        }
        p = Dec(body, Key(body, p, " work "u8), out var work);
        p = Dec(body, Key(body, p, " budget "u8), out var budget);
        if (p < 0)
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
        var p = SkipToken(body, 4);
        var dev = body[4..p];
        p = SkipToken(body, Key(body, Blanks(body, p), "skbaddr="u8));
        p = Dec(body, Key(body, Blanks(body, p), "len="u8), out var len);
        long rc = 0;
        if (xmit)
        {
            p = Dec(body, Key(body, Blanks(body, p), "rc="u8), out rc);
        }
        if (p < 0 || dev.IsEmpty)
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
        var unitStart = SkipToken(body, 0);
        if (unitStart == 0)
        {
            return false;
        }
        unitStart = Space(body, unitStart);
        if (unitStart < 0)
        {
            return false;
        }
        var p = SkipToken(body, unitStart);
        var unit = body[unitStart..p];
        if (unit.Length < 2 || unit[^1] != ':')
        {
            return false;
        }
        p = Space(body, Hex(body, Space(body, p), out var qw0));
        p = Space(body, Hex(body, p, out var qw1));
        p = Hex(body, Space(body, Hex(body, p, out _)), out _);
        if (p < 0)
        {
            return false;
        }
        SetQiSubmit(ref e, unit, qw0, qw1);
        return true;
    }

    // the end of the token at pos (pos itself when it is a blank or the end)
    private static int SkipToken(ReadOnlySpan<byte> b, int pos)
    {
        if (pos < 0)
        {
            return -1;
        }
        while (pos < b.Length && !Ascii.IsSpace(b[pos]))
        {
            pos++;
        }
        return pos;
    }

    // one or more blanks, then more text
    private static int Blanks(ReadOnlySpan<byte> b, int pos)
    {
        if (pos < 0)
        {
            return -1;
        }
        var p = pos;
        while (p < b.Length && Ascii.IsSpace(b[p]))
        {
            p++;
        }
        return p == pos || p == b.Length ? -1 : p;
    }

    // "0x" then 1-16 hex digits ending the token (end of body or a blank): what Ascii.TryHex accepts of a token
    private static int Hex(ReadOnlySpan<byte> b, int pos, out ulong v)
    {
        v = 0;
        if (pos < 0 || pos + 2 >= b.Length || b[pos] != '0' || (b[pos + 1] | 0x20) != 'x')
        {
            return -1;
        }
        var start = pos + 2;
        var p = start;
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
        return p == start || (p < b.Length && !Ascii.IsSpace(b[p])) ? -1 : p;
    }

    // 1-18 decimal digits ending the token: what Ascii.TryLong accepts of a token without a sign, with no overflow
    private static int Dec(ReadOnlySpan<byte> b, int pos, out long v)
    {
        v = 0;
        if (pos < 0)
        {
            return -1;
        }
        var p = pos;
        while (p < b.Length && Ascii.IsDigit(b[p]))
        {
            v = (v * 10) + (b[p] - '0');
            p++;
        }
        return p == pos || p - pos > 18 || (p < b.Length && !Ascii.IsSpace(b[p])) ? -1 : p;
    }

    private static int Space(ReadOnlySpan<byte> b, int pos) => pos >= 0 && pos < b.Length && b[pos] == ' ' ? pos + 1 : -1;

    private static int Key(ReadOnlySpan<byte> b, int pos, ReadOnlySpan<byte> key) => pos >= 0 && b[pos..].StartsWith(key) ? pos + key.Length : -1;

    // the "- 0x<end> " of the 5.x+ map/unmap layouts, when present. The end address is not used and the general code
    // does not read it; a token starting "0x" cannot start with a later key, so it is skipped without parsing its digits
    private static int SkipRangeEnd(ReadOnlySpan<byte> b, int pos)
    {
        if (pos < 0 || !b[pos..].StartsWith("- "u8))
        {
            return pos;
        }
        pos += 2;
        if (pos + 2 >= b.Length || b[pos] != '0' || (b[pos + 1] | 0x20) != 'x')
        {
            return -1;
        }
        return Space(b, SkipToken(b, pos + 2));
    }
}
