namespace DmaSlip.Core.Domain;

/// <summary>
/// Nanosecond time helpers. Timestamps are <c>long</c> nanoseconds since the Unix epoch (UTC); durations are
/// <c>long</c> nanoseconds. Nothing in Core reads a clock: time is always an argument.
/// </summary>
public static class Time
{
/// <summary>Nanoseconds in a microsecond.</summary>
    public const long NanosPerMicro = 1_000;
/// <summary>Nanoseconds in a millisecond.</summary>
    public const long NanosPerMilli = 1_000_000;
/// <summary>Nanoseconds in a second.</summary>
    public const long NanosPerSecond = 1_000_000_000;
/// <summary>Nanoseconds in a minute.</summary>
    public const long NanosPerMinute = 60 * NanosPerSecond;
/// <summary>Nanoseconds in an hour.</summary>
    public const long NanosPerHour = 60 * NanosPerMinute;
/// <summary>Nanoseconds in a day.</summary>
    public const long NanosPerDay = 24 * NanosPerHour;

/// <summary>Milliseconds to nanoseconds.</summary>
    public static long FromMillis(long ms) => ms * NanosPerMilli;

/// <summary>Seconds to nanoseconds, rounded.</summary>
    public static long FromSeconds(double s) => (long)Math.Round(s * NanosPerSecond);

/// <summary>Nanoseconds to seconds.</summary>
    public static double ToSeconds(long ns) => ns / (double)NanosPerSecond;

    /// <summary>Start of the UTC day that contains <paramref name="tsNs"/>.</summary>
    public static long FloorDay(long tsNs) => tsNs - Mod(tsNs, NanosPerDay);

    /// <summary>Start of the window of width <paramref name="windowNs"/> that contains <paramref name="tsNs"/>.</summary>
    public static long FloorWindow(long tsNs, long windowNs) => tsNs - Mod(tsNs, windowNs);

    /// <summary>ISO-8601 text of a timestamp, for humans and reports only.</summary>
    public static string ToIso(long tsNs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Math.DivRem(tsNs, NanosPerMilli, out _))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Unix nanoseconds of a UTC calendar date.</summary>
    public static long FromDate(int year, int month, int day) =>
        new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * NanosPerMilli;

    private static long Mod(long a, long m)
    {
        var r = a % m;
        return r < 0 ? r + m : r;
    }
}
