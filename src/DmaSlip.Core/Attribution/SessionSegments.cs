namespace DmaSlip.Core.Attribution;

/// <summary>A named part of a trading day, in minutes after local midnight: [StartMinute, EndMinute).</summary>
public sealed record SessionSegment(string Name, int StartMinute, int EndMinute);

/// <summary>
/// Session segments of one market, configurable (JSON via the CLI's <c>--sessions</c>). Local time comes from the
/// IANA zone <see cref="TimeZoneId"/>; if the zone is not installed, <see cref="FallbackUtcOffsetMinutes"/> is
/// used (no DST). Times outside every segment are "off-hours".
/// </summary>
public sealed record SessionSegments(string Market, string TimeZoneId, int FallbackUtcOffsetMinutes, IReadOnlyList<SessionSegment> Segments)
{
    public const string OffHours = "off-hours";

    private TimeZoneInfo? _zone;
    private bool _zoneResolved;

    /// <summary>US equities (XNYS/XNAS): open auction half hour, morning, midday, afternoon, closing half hour.</summary>
    public static SessionSegments UsEquities { get; } = new("us-equities", "America/New_York", -300,
    [
        new("open", 9 * 60 + 30, 10 * 60),
        new("morning", 10 * 60, 12 * 60),
        new("midday", 12 * 60, 14 * 60),
        new("afternoon", 14 * 60, 15 * 60 + 30),
        new("close", 15 * 60 + 30, 16 * 60),
    ]);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad segment.</summary>
    public void Validate()
    {
        foreach (var s in Segments)
        {
            if (string.IsNullOrWhiteSpace(s.Name) || s.StartMinute < 0 || s.EndMinute > 24 * 60 || s.StartMinute >= s.EndMinute)
            {
                throw new ArgumentException($"Session segment '{s.Name}' of market '{Market}' must have a name and 0 ≤ start < end ≤ 1440 minutes (got {s.StartMinute}–{s.EndMinute}).");
            }
        }
    }

    /// <summary>The segment containing <paramref name="tsNs"/>, or <see cref="OffHours"/>.</summary>
    public string SegmentOf(long tsNs)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(tsNs / Domain.Time.NanosPerMilli);
        var offset = Zone() is { } zone ? zone.GetUtcOffset(utc) : TimeSpan.FromMinutes(FallbackUtcOffsetMinutes);
        var local = utc.ToOffset(offset);
        var minute = local.Hour * 60 + local.Minute;
        foreach (var s in Segments)
        {
            if (minute >= s.StartMinute && minute < s.EndMinute)
            {
                return s.Name;
            }
        }
        return OffHours;
    }

    private TimeZoneInfo? Zone()
    {
        if (!_zoneResolved)
        {
            _zone = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out var z) ? z : null;
            _zoneResolved = true;
        }
        return _zone;
    }
}
