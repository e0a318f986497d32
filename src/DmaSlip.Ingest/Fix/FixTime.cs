using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Fix;

/// <summary>FIX UTCTimestamp <c>YYYYMMDD-HH:MM:SS[.f]</c> with 0, 3, 6, 9 (or 12: truncated) fraction digits, to the ns, exactly.</summary>
public static class FixTime
{
    public static bool TryParse(ReadOnlySpan<byte> s, out long ns)
    {
        ns = 0;
        if (s.Length < 17 || s[8] != '-' || s[11] != ':' || s[14] != ':'
            || !Num(s[..4], out var y) || !Num(s[4..6], out var mo) || !Num(s[6..8], out var d)
            || !Num(s[9..11], out var h) || !Num(s[12..14], out var mi) || !Num(s[15..17], out var sec)
            || y < 1970 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60)
        {
            return false;
        }
        long frac = 0;
        if (s.Length > 17)
        {
            var f = s[18..];
            if (s[17] != '.' || f.Length is not (1 or 2 or 3 or 4 or 5 or 6 or 7 or 8 or 9 or 12) || !Ascii.AllDigits(f))
            {
                return false;
            }
            var digits = Math.Min(9, f.Length);
            for (var i = 0; i < digits; i++)
            {
                frac = frac * 10 + (f[i] - '0');
            }
            for (var i = digits; i < 9; i++)
            {
                frac *= 10;
            }
        }
        ns = Time.FromDate(y, mo, d) + h * Time.NanosPerHour + mi * Time.NanosPerMinute + sec * Time.NanosPerSecond + frac;
        return true;
    }

    private static bool Num(ReadOnlySpan<byte> s, out int v)
    {
        v = 0;
        foreach (var c in s)
        {
            if (!Ascii.IsDigit(c))
            {
                return false;
            }
            v = v * 10 + (c - '0');
        }
        return true;
    }
}
