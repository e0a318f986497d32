using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

internal ref partial struct TraceFrame
{
    private static ReadOnlySpan<long> Pow10 => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    /// <summary>
    /// The framing of nearly every real line in one backward walk from the first <c>": "</c>:
    /// <c>comm-pid [cpu] flags secs.frac: </c> (ftrace; trace-cmd without flags) and <c>comm tid [cpu] secs.frac: </c>
    /// (perf script). It accepts a line only when the general path (<see cref="FindTimestamp"/> then
    /// <see cref="ParsePrefix"/>) would give the same timestamp and cpu — the first <c>": "</c> ends a valid timestamp,
    /// only single-space-separated tokens, a cpu of 1–9 digits, a comm ending in <c>-pid</c> or <c> tid</c> — and
    /// returns false for anything else, which then takes the general path. Why: the general path re-scans the prefix
    /// several times (trims, last '[', last ' ', last '-'), about half the parse time of a line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFastFraming(ReadOnlySpan<byte> s, out int tsEnd, out long tsNs, out int cpu, out EventMasks masks)
    {
        if (Vector256.IsHardwareAccelerated && s.Length >= 64)
        {
            var v = TryVectorFraming(s, out tsEnd, out tsNs, out cpu, out masks);
            if (v >= 0)
            {
                return v == 1;
            }
        }
        masks = default;
        tsNs = 0;
        cpu = -1;
        var j = s.IndexOf(": "u8);
        tsEnd = j;
        // the timestamp, right to left: 1-9 fraction digits, '.', 1-11 whole digits, then the space before it (a line
        // whose timestamp starts it has no comm: general path)
        var e = j - 1;
        long frac = 0, sec = 0, place = 1;
        var n = 0;
        while (e >= 0 && Ascii.IsDigit(s[e]) && n < 9)
        {
            frac += (s[e] - '0') * place;
            place *= 10;
            n++;
            e--;
        }
        if (n == 0 || e < 0 || s[e] != '.')
        {
            return false;
        }
        frac *= Pow10[9 - n];
        var dot = e--;
        place = 1;
        n = 0;
        while (e >= 0 && Ascii.IsDigit(s[e]) && n < 11)
        {
            sec += (s[e] - '0') * place;
            place *= 10;
            n++;
            e--;
        }
        if (e == dot - 1 || e < 1 || s[e] != ' ')
        {
            return false;
        }
        tsNs = (sec * 1_000_000_000) + frac;
        while (e >= 0 && s[e] == ' ')
        {
            e--;
        }
        var flagsEnd = e;
        while (e >= 0 && IsFlagChar(s[e]))
        {
            e--;
        }
        if (flagsEnd - e > 8)
        {
            return false;
        }
        while (e >= 0 && s[e] == ' ')
        {
            e--;
        }
        if (e < 0 || s[e] != ']')
        {
            return false;
        }
        var cpuEnd = e--;
        while (e >= 0 && Ascii.IsDigit(s[e]))
        {
            e--;
        }
        // 1-9 digits (more: let the general path decide about overflow)
        if (cpuEnd - e - 1 is < 1 or > 9 || e < 0 || s[e] != '[')
        {
            return false;
        }
        var c = 0;
        for (var i = e + 1; i < cpuEnd; i++)
        {
            c = (c * 10) + (s[i] - '0');
        }
        e--;
        while (e >= 0 && s[e] == ' ')
        {
            e--;
        }
        var pidEnd = e;
        while (e >= 0 && Ascii.IsDigit(s[e]))
        {
            e--;
        }
        if (e == pidEnd || e < 1 || (s[e] != '-' && s[e] != ' '))
        {
            return false;
        }
        cpu = c;
        return true;
    }

    /// <summary>
    /// <see cref="Ascii.Trim"/> for the usual line: ftrace right-aligns the comm, so lines start with up to 16 blanks;
    /// counted from one 32-byte compare instead of a search call, when the line is long and does not end in a blank.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> TrimLine(ReadOnlySpan<byte> line)
    {
        if (Vector256.IsHardwareAccelerated && line.Length >= Vector256<byte>.Count && !Ascii.IsSpace(line[^1]))
        {
            var v = Vector256.Create(line);
            // Ascii.IsSpace: ' ' or '\t'..'\r' (9-13)
            var blank = Vector256.Equals(v, Vector256.Create((byte)' ')) | Vector256.LessThan(v - Vector256.Create((byte)'\t'), Vector256.Create((byte)5));
            var text = ~blank.ExtractMostSignificantBits();
            if (text != 0)
            {
                return line[BitOperations.TrailingZeroCount(text)..];
            }
        }
        return Ascii.Trim(line);
    }

    private static bool IsFlagChar(byte c) => c == '.' || Ascii.IsDigit(c) || (uint)((c | 0x20) - 'a') <= 25;

    /// <summary>
    /// Where the first space or tab is in <paramref name="rest"/> (-1: none), and the last two ':' before it (-1: none).
    /// From one 32-byte compare when the blank is in the first 32 bytes (branch-free: event names of different lengths
    /// would mispredict a byte loop's exit on every line), else byte by byte. Returned as values, not through refs, so
    /// that they stay in registers.
    /// </summary>
    private static (int Blank, int LastColon, int PrevColon) BlankAndColons(ReadOnlySpan<byte> rest)
    {
        if (Vector256.IsHardwareAccelerated && rest.Length >= Vector256<byte>.Count)
        {
            var v = Vector256.Create(rest);
            var blanks = (Vector256.Equals(v, Vector256.Create((byte)' ')) | Vector256.Equals(v, Vector256.Create((byte)'\t'))).ExtractMostSignificantBits();
            if (blanks != 0)
            {
                var sp = BitOperations.TrailingZeroCount(blanks);
                var colons = Vector256.Equals(v, Vector256.Create((byte)':')).ExtractMostSignificantBits() & ((1u << sp) - 1);
                var last = colons == 0 ? -1 : 31 - BitOperations.LeadingZeroCount(colons);
                colons &= ~(1u << last); // last = -1 shifts by 31: colons is 0 then anyway
                var prev = colons == 0 ? -1 : 31 - BitOperations.LeadingZeroCount(colons);
                return (sp, last, prev);
            }
        }
        int lastColon = -1, prevColon = -1;
        for (var k = 0; k < rest.Length; k++)
        {
            var c = rest[k];
            if (c == ' ' || c == '\t')
            {
                return (k, lastColon, prevColon);
            }
            if (c == ':')
            {
                prevColon = lastColon;
                lastColon = k;
            }
        }
        return (-1, lastColon, prevColon);
    }
}
