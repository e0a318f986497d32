using System.CommandLine;
using System.Text.Json;
using DmaSlip.Core.Attribution;

namespace DmaSlip.Cli.Internal;

/// <summary><c>--sessions FILE</c>: the market's session segments as JSON (default: US equities, New York time).</summary>
internal static class SessionsOption
{
    public static Option<string?> Create() => new("--sessions")
    {
        Description = "JSON file with the market's session segments: {\"market\", \"time_zone_id\", \"fallback_utc_offset_minutes\", \"segments\": [{\"name\", \"start_minute\", \"end_minute\"}]} (default: US equities in America/New_York)",
    };

    public static SessionSegments Load(string? path)
    {
        if (path is null)
        {
            return SessionSegments.UsEquities;
        }
        if (!File.Exists(path))
        {
            throw new InputException($"Session file '{path}' does not exist.");
        }
        try
        {
            var s = JsonSerializer.Deserialize<SessionSegments>(File.ReadAllText(path), Output.JsonOptions)
                ?? throw new InputException($"Session file '{path}' is empty.");
            s.Validate();
            return s;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new InputException($"Session file '{path}' is not valid: {ex.Message}", ex);
        }
    }
}
