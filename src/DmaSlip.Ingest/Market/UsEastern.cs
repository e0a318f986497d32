using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Market;

/// <summary>
/// New York local time → UTC for US equity data stamped in exchange-local time (LEAN, LOBSTER). Hand-written from the
/// US DST rules (2007+: second Sunday of March 02:00 to first Sunday of November 02:00; 1987–2006: first Sunday of
/// April to last Sunday of October) so that it does not depend on the machine having tzdata; a test checks it
/// against the system's America/New_York where present.
/// </summary>
internal static class UsEastern
{
    /// <summary>UTC nanoseconds of <paramref name="nsSinceMidnight"/> local time on the local date y-m-d.</summary>
    public static long ToUtcNs(int year, int month, int day, long nsSinceMidnight) => OnDate(year, month, day).ToUtcNs(nsSinceMidnight);

    /// <summary>The conversion for one local date, its calendar arithmetic done once (a tick file's rows share a date).</summary>
    public static LocalDate OnDate(int year, int month, int day)
    {
        long start, end;
        if (year >= 2007)
        {
            start = NthSunday(year, 3, 2);
            end = NthSunday(year, 11, 1);
        }
        else
        {
            start = NthSunday(year, 4, 1);
            end = LastSunday(year, 10);
        }
        // transitions at 02:00 local
        return new LocalDate(Time.FromDate(year, month, day), start + (2 * Time.NanosPerHour), end + (2 * Time.NanosPerHour));
    }

    /// <summary>A local date in New York: its midnight (read as UTC) and its year's DST bounds in the same local terms.</summary>
    internal readonly record struct LocalDate(long LocalMidnightAsUtc, long DstStartLocal, long DstEndLocal)
    {
        public long ToUtcNs(long nsSinceMidnight)
        {
            var local = LocalMidnightAsUtc + nsSinceMidnight;
            var offsetHours = local >= DstStartLocal && local < DstEndLocal ? 4 : 5;
            return local + (offsetHours * Time.NanosPerHour);
        }
    }

    private static long NthSunday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var delta = ((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7;
        var d = first.AddDays(delta + 7 * (n - 1));
        return Time.FromDate(d.Year, d.Month, d.Day);
    }

    private static long LastSunday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        var d = last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Sunday + 7) % 7));
        return Time.FromDate(d.Year, d.Month, d.Day);
    }

    /// <summary>Finds a yyyyMMdd or yyyy-MM-dd date in a file name.</summary>
    public static bool TryDateFromName(string name, out int year, out int month, out int day)
    {
        year = month = day = 0;
        for (var i = 0; i + 8 <= name.Length; i++)
        {
            if (i + 10 <= name.Length && name[i + 4] == '-' && name[i + 7] == '-'
                && int.TryParse(name.AsSpan(i, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year)
                && int.TryParse(name.AsSpan(i + 5, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out month)
                && int.TryParse(name.AsSpan(i + 8, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out day)
                && Valid(year, month, day))
            {
                return true;
            }
            if (int.TryParse(name.AsSpan(i, 8), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ymd)
                && (i + 8 == name.Length || !char.IsAsciiDigit(name[i + 8])) && (i == 0 || !char.IsAsciiDigit(name[i - 1])))
            {
                year = ymd / 10000;
                month = ymd / 100 % 100;
                day = ymd % 100;
                if (Valid(year, month, day))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool Valid(int y, int m, int d) => y is >= 1990 and <= 2100 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m);
}
