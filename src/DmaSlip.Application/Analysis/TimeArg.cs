using System.Globalization;

namespace DmaSlip.Application.Analysis;

/// <summary>Parses <c>--from</c>/<c>--to</c>: ISO-8601 (UTC unless an offset is given) or integer ns since the epoch.</summary>
internal static class TimeArg
{
    public static long? Parse(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ns))
        {
            return ns;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        }
        throw new UsageException($"{option} '{text}' is neither ISO-8601 (e.g. 2026-01-05T14:30:00Z) nor integer nanoseconds since the epoch.");
    }

    /// <summary>SQL condition on <paramref name="column"/> for the range, with parameters $from/$to; "TRUE" when open.</summary>
    public static (string Where, Dictionary<string, object?> Parameters) Range(string column, long? from, long? to)
    {
        var parts = new List<string>();
        var p = new Dictionary<string, object?>();
        if (from is { } f)
        {
            parts.Add($"{column} >= $from");
            p["from"] = f;
        }
        if (to is { } t)
        {
            parts.Add($"{column} < $to");
            p["to"] = t;
        }
        return (parts.Count == 0 ? "TRUE" : string.Join(" AND ", parts), p);
    }
}
