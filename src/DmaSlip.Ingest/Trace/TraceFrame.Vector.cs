using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DmaSlip.Ingest.Trace;

internal ref partial struct TraceFrame
{
    /// <summary>
    /// <see cref="TryFastFraming"/> for a line of 64 bytes or more, with the first <c>": "</c> in its first 64 bytes:
    /// the same backward walk, but over bit masks of those 64 bytes (digit, '.', flag character, blank, '[', ']', '-')
    /// aligned so that the byte before <c>": "</c> is the top bit; each run (timestamp, blanks, flags, cpu, pid) is then
    /// one leading-zero count instead of a byte loop whose exit depends on the line. Returns 1 (framing accepted),
    /// 0 (rejected: the general path decides) or -1 (no <c>": "</c> in 64 bytes: the byte walk decides).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TryVectorFraming(ReadOnlySpan<byte> s, out int tsEnd, out long tsNs, out int cpu, out EventMasks masks)
    {
        tsEnd = -1;
        tsNs = 0;
        cpu = -1;
        masks = default;
        var lo = Vector256.Create(s);
        var hi = Vector256.Create(s[32..]);
        var blank = Eq(lo, hi, (byte)' ');
        var colon = Eq(lo, hi, (byte)':');
        var colonBlank = colon & (blank >> 1);
        if (colonBlank == 0)
        {
            return -1;
        }
        var j = BitOperations.TrailingZeroCount(colonBlank);
        tsEnd = j;
        if (j == 0)
        {
            return 0;
        }
        // after "<< sh", bit 63 - k is the byte s[j - 1 - k]; bytes before s[0] read as 0 in every mask
        var sh = 64 - j;
        var digit = Digits(lo, hi) << sh;
        var dot = Eq(lo, hi, (byte)'.') << sh;
        var flag = digit | dot | (Letters(lo, hi) << sh);
        var spaces = blank;
        blank <<= sh;

        // timestamp: one run of digits and '.', exactly one '.', 1-9 fraction and 1-11 whole digits, a blank before it
        var n = Run(digit | dot, 0);
        var dots = n == 0 ? 0 : dot & (ulong.MaxValue << (64 - n));
        if (BitOperations.PopCount(dots) != 1)
        {
            return 0;
        }
        var fracLen = BitOperations.LeadingZeroCount(dots);
        var wholeLen = n - fracLen - 1;
        if (fracLen is < 1 or > 9 || wholeLen is < 1 or > 11 || j - n - 1 < 1 || !Bit(blank, n))
        {
            return 0;
        }
        var pos = n;
        pos += Run(blank, pos);
        var flags = Run(flag, pos);
        if (flags > 8)
        {
            return 0;
        }
        pos += flags;
        pos += Run(blank, pos);
        if (!Bit(Eq(lo, hi, (byte)']') << sh, pos))
        {
            return 0;
        }
        pos++;
        var cpuDigits = Run(digit, pos);
        if (cpuDigits is < 1 or > 9)
        {
            return 0;
        }
        var cpuStart = j - pos - cpuDigits;
        pos += cpuDigits;
        if (!Bit(Eq(lo, hi, (byte)'[') << sh, pos))
        {
            return 0;
        }
        pos++;
        pos += Run(blank, pos);
        var pidDigits = Run(digit, pos);
        pos += pidDigits;
        // comm ends "-pid" or " tid", with text before it
        if (pidDigits == 0 || j - 1 - pos < 1 || !(Bit(blank, pos) || Bit(Eq(lo, hi, (byte)'-') << sh, pos)))
        {
            return 0;
        }
        var dotAt = j - fracLen - 1;
        var sec = Digits8(s, dotAt, wholeLen);
        if (wholeLen > 8)
        {
            // 9-11 whole digits: the leading ones by hand, the last 8 as a block
            long high = 0;
            for (var i = dotAt - wholeLen; i < dotAt - 8; i++)
            {
                high = (high * 10) + (s[i] - '0');
            }
            sec += high * 100_000_000;
        }
        var frac = Digits8(s, j, fracLen);
        if (fracLen == 9)
        {
            frac += (s[j - 9] - '0') * 100_000_000L;
        }
        tsNs = (sec * 1_000_000_000) + (frac * Pow10[9 - fracLen]);
        var c = 0;
        for (var i = cpuStart; i < cpuStart + cpuDigits; i++)
        {
            c = (c * 10) + (s[i] - '0');
        }
        cpu = c;
        masks = new EventMasks(spaces, spaces | Eq(lo, hi, (byte)'\t'), colon);
        return 1;
    }

    /// <summary>
    /// The number written by the last <paramref name="count"/> (1-8) digits before <paramref name="end"/>, from one 8-byte
    /// load (SWAR, as simdjson's parse_eight_digits: the digits are known, the bytes before them count as 0), instead of a multiply-add chain
    /// whose latency grows with every digit. Needs 8 readable bytes before <paramref name="end"/>.
    /// </summary>
    private static long Digits8(ReadOnlySpan<byte> s, int end, int count)
    {
        var keep = ulong.MaxValue << (8 * (8 - Math.Min(count, 8)));
        var v = BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(end - 8, 8)) & keep & 0x0F0F0F0F0F0F0F0FUL;
        v = (v * 2561) >> 8;
        v = ((v & 0x00FF00FF00FF00FFUL) * 6553601) >> 16;
        v = ((v & 0x0000FFFF0000FFFFUL) * 42949672960001) >> 32;
        return (long)v;
    }

    // length of the run of set bits from bit 63 - pos downwards
    private static int Run(ulong mask, int pos) => BitOperations.LeadingZeroCount(~(mask << pos));

    private static bool Bit(ulong mask, int pos) => ((mask << pos) >> 63) != 0;

    private static ulong Eq(Vector256<byte> lo, Vector256<byte> hi, byte b) =>
        Vector256.Equals(lo, Vector256.Create(b)).ExtractMostSignificantBits()
        | ((ulong)Vector256.Equals(hi, Vector256.Create(b)).ExtractMostSignificantBits() << 32);

    private static ulong Digits(Vector256<byte> lo, Vector256<byte> hi) =>
        Vector256.LessThan(lo - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits()
        | ((ulong)Vector256.LessThan(hi - Vector256.Create((byte)'0'), Vector256.Create((byte)10)).ExtractMostSignificantBits() << 32);

    private static ulong Letters(Vector256<byte> lo, Vector256<byte> hi) =>
        Vector256.LessThan((lo | Vector256.Create((byte)0x20)) - Vector256.Create((byte)'a'), Vector256.Create((byte)26)).ExtractMostSignificantBits()
        | ((ulong)Vector256.LessThan((hi | Vector256.Create((byte)0x20)) - Vector256.Create((byte)'a'), Vector256.Create((byte)26)).ExtractMostSignificantBits() << 32);
}
