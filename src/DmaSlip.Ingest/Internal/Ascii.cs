using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Runtime.Intrinsics;
using System.Text;

namespace DmaSlip.Ingest.Internal;

/// <summary>Number and token helpers on UTF-8 spans: parse failures return false, never throw.</summary>
internal static class Ascii
{
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        if (s.Length > 0 && IsSpace(s[0]))
        {
            // ftrace right-aligns the comm: lines start with up to 16 spaces
            a = s.IndexOfAnyExcept(Spaces);
            if (a < 0)
            {
                return s[s.Length..];
            }
        }
        var b = s.Length;
        while (b > a && IsSpace(s[b - 1]))
        {
            b--;
        }
        return s[a..b];
    }

    /// <summary>The bytes <see cref="IsSpace"/> accepts, for vectorized searches.</summary>
    public static readonly SearchValues<byte> Spaces = SearchValues.Create(" \t\r\n\f\v"u8);

    // '\t' '\n' '\v' '\f' '\r' are 9..13
    public static bool IsSpace(byte c) => c == ' ' || (uint)(c - '\t') <= '\r' - '\t';

    public static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    public static bool IsHex(byte c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 5;

    public static bool AllDigits(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!IsDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A whole span as a signed decimal integer.</summary>
    public static bool TryLong(ReadOnlySpan<byte> s, out long v) => Utf8Parser.TryParse(s, out v, out var n) && n == s.Length && s.Length > 0;

    public static bool TryInt(ReadOnlySpan<byte> s, out int v) => Utf8Parser.TryParse(s, out v, out var n) && n == s.Length && s.Length > 0;

    public static bool TryDouble(ReadOnlySpan<byte> s, out double v) => Utf8Parser.TryParse(s, out v, out var n) && n == s.Length && s.Length > 0;

    /// <summary>Hex digits (optional 0x) as an unsigned 64-bit value.</summary>
    public static bool TryHex(ReadOnlySpan<byte> s, out ulong v)
    {
        v = 0;
        if (s.Length > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
        {
            s = s[2..];
        }
        if (s.IsEmpty || s.Length > 16)
        {
            return false;
        }
        foreach (var c in s)
        {
            var d = HexValue(c);
            if (d > 15)
            {
                return false;
            }
            v = (v << 4) | d;
        }
        return true;
    }

    /// <summary>
    /// Exactly 16 hex digits as a 64-bit value, in a few vector operations instead of a 16-step loop (the kernel prints
    /// iova/paddr as <c>%016llx</c>). False when any of the 16 bytes is not a hex digit.
    /// </summary>
    public static bool TryHex16(ReadOnlySpan<byte> s, out ulong v)
    {
        v = 0;
        if (!Vector128.IsHardwareAccelerated || s.Length < 16)
        {
            return false;
        }
        var x = Vector128.Create(s);
        var d = x - Vector128.Create((byte)'0');
        var l = (x | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a');
        var isDigit = Vector128.LessThan(d, Vector128.Create((byte)10));
        var isLetter = Vector128.LessThan(l, Vector128.Create((byte)6));
        if ((isDigit | isLetter) != Vector128<byte>.AllBitsSet)
        {
            return false;
        }
        var nibbles = Vector128.ConditionalSelect(isDigit, d, l + Vector128.Create((byte)10)).AsUInt16();
        // each 16-bit lane holds (first digit, second digit) as (low, high) byte: make it the byte first*16 + second
        var pairs = ((nibbles << 4) | (nibbles >> 8)) & Vector128.Create((ushort)0xff);
        var packed = Vector128.Narrow(pairs, pairs).AsUInt64().ToScalar();
        v = BinaryPrimitives.ReverseEndianness(packed); // the first digit pair is the most significant byte
        return true;
    }

    /// <summary>The value of a hex digit, or 255 (a table lookup: no branches on the digit's class).</summary>
    public static uint HexValue(byte c) => HexTable[c];

    private static ReadOnlySpan<byte> HexTable =>
    [
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 255, 255, 255, 255, 255,
        255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 10, 11, 12, 13, 14, 15, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    ];

    /// <summary>
    /// Seconds with up to 9 fraction digits ("438.308478", "1764091998.123456789") as integer nanoseconds, exactly
    /// (no floating point, so no rounding error at 1e9-second magnitudes).
    /// </summary>
    public static bool TrySecondsToNs(ReadOnlySpan<byte> s, out long ns)
    {
        ns = 0;
        var dot = s.IndexOf((byte)'.');
        var whole = dot < 0 ? s : s[..dot];
        if (whole.Length is 0 or > 11 || !AllDigits(whole))
        {
            return false;
        }
        long sec = 0;
        foreach (var c in whole)
        {
            sec = sec * 10 + (c - '0');
        }
        long frac = 0;
        if (dot >= 0)
        {
            var f = s[(dot + 1)..];
            if (f.Length is 0 or > 9 || !AllDigits(f))
            {
                return false;
            }
            foreach (var c in f)
            {
                frac = frac * 10 + (c - '0');
            }
            for (var i = f.Length; i < 9; i++)
            {
                frac *= 10;
            }
        }
        ns = sec * 1_000_000_000 + frac;
        return true;
    }

    /// <summary>Next whitespace-separated token from <paramref name="s"/> at <paramref name="pos"/>.</summary>
    public static ReadOnlySpan<byte> NextToken(ReadOnlySpan<byte> s, scoped ref int pos)
    {
        // a local copy: walking the bytes through the ref would store and reload it on every byte
        var p = pos;
        while (p < s.Length && IsSpace(s[p]))
        {
            p++;
        }
        var start = p;
        while (p < s.Length && !IsSpace(s[p]))
        {
            p++;
        }
        pos = p;
        return s[start..p];
    }

    /// <summary>The value after <c>key</c> (e.g. "size=") up to the next space; empty when absent.</summary>
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key)
    {
        var i = 0;
        while (true)
        {
            var j = body[i..].IndexOf(key);
            if (j < 0)
            {
                return default;
            }
            j += i;
            if (j == 0 || IsSpace(body[j - 1]))
            {
                var start = j + key.Length;
                var end = start;
                while (end < body.Length && !IsSpace(body[end]))
                {
                    end++;
                }
                return body[start..end];
            }
            i = j + 1;
        }
    }

    /// <summary>
    /// Splits on <paramref name="sep"/> into <paramref name="ranges"/> and returns the number of fields in the line (which
    /// may exceed the ranges; the last range then holds the rest of the line).
    /// </summary>
    public static int Split(ReadOnlySpan<byte> s, Span<Range> ranges, byte sep)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var i = s[start..].IndexOf(sep);
            var end = i < 0 ? s.Length : start + i;
            if (count < ranges.Length - 1 || (count == ranges.Length - 1 && i < 0))
            {
                ranges[count] = new Range(start, end);
            }
            else if (count == ranges.Length - 1)
            {
                ranges[count] = new Range(start, s.Length);
            }
            count++;
            if (i < 0)
            {
                return count;
            }
            start = end + 1;
        }
    }

    public static string Text(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    /// <summary>Raw text for the quarantine table: lossy UTF-8, at most <paramref name="max"/> chars.</summary>
    public static string Raw(ReadOnlySpan<byte> s, int max = 512)
    {
        var text = Encoding.UTF8.GetString(s.Length > max * 4 ? s[..(max * 4)] : s);
        return text.Length > max ? text[..max] : text;
    }
}
