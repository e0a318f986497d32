using System.Globalization;

namespace DmaSlip.Simulation.Writers;

/// <summary>Invariant, deterministic text formatting shared by the writers.</summary>
internal static class Fmt
{
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary><c>YYYYMMDD-HH:MM:SS.nnnnnnnnn</c> (FIX UTCTimestamp with 9 fraction digits).</summary>
    public static string FixTime(long tsNs)
    {
        var (sec, frac) = Math.DivRem(tsNs, 1_000_000_000L);
        var dt = DateTimeOffset.FromUnixTimeSeconds(sec).UtcDateTime;
        return dt.ToString("yyyyMMdd-HH:mm:ss", Inv) + "." + frac.ToString("D9", Inv);
    }

    /// <summary>Unix seconds with 9 fraction digits, as <c>date +%s.%N</c> prints.</summary>
    public static string UnixSeconds(long tsNs)
    {
        var (sec, frac) = Math.DivRem(tsNs, 1_000_000_000L);
        return sec.ToString(Inv) + "." + frac.ToString("D9", Inv);
    }

    public static string Px(double px) => px.ToString("0.######", Inv);

    public static string D(double v) => double.IsNaN(v) ? "" : v.ToString("R", Inv);

    public static string Csv(string? s)
    {
        if (s is null)
        {
            return "";
        }
        return s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
