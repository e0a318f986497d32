// The trace-text parser as it was before the fast paths (commit 03b3ee6), kept verbatim as the reference the new
// parser must agree with line for line (ReferenceParityTests) and as the baseline of TraceLineParseBenchmarks.
// Do not optimise this file: its value is that it is the old, obviously-correct code.
using System.Buffers.Text;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest.Tests.Reference;

/// <summary>The span helpers as the reference parser used them.</summary>
internal static class RefAscii
{
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        var a = 0;
        while (a < s.Length && IsSpace(s[a]))
        {
            a++;
        }
        var b = s.Length;
        while (b > a && IsSpace(s[b - 1]))
        {
            b--;
        }
        return s[a..b];
    }

    public static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f' or (byte)'\v';

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
            if (!IsHex(c))
            {
                return false;
            }
            var d = IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
            v = (v << 4) | (uint)d;
        }
        return true;
    }

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
        while (pos < s.Length && IsSpace(s[pos]))
        {
            pos++;
        }
        var start = pos;
        while (pos < s.Length && !IsSpace(s[pos]))
        {
            pos++;
        }
        return s[start..pos];
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
