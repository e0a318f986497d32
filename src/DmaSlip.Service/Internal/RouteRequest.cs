using System.Text.Json;
using DmaSlip.Fleet;

namespace DmaSlip.Service.Internal;

/// <summary>An operator override: pin or unpin a pool as validated low-pressure, with a reason.</summary>
internal sealed record RouteRequest(string Pool, bool Pin, string Reason, string Actor)
{
    public const int MaxReason = 500;

    /// <summary>Parses and validates a request body; on failure returns null and the reason for the 400.</summary>
    public static RouteRequest? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            error = $"body is not valid JSON: {ex.Message}";
            return null;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "body must be a JSON object {\"pool\", \"action\": \"pin\"|\"unpin\", \"reason\"}";
                return null;
            }
            var root = doc.RootElement;
            foreach (var p in root.EnumerateObject())
            {
                if (p.Name is not ("pool" or "action" or "reason" or "actor"))
                {
                    error = $"unknown field '{p.Name}' (expected pool, action, reason, actor)";
                    return null;
                }
            }
            var pool = Str(root, "pool", ref error);
            var action = Str(root, "action", ref error);
            var reason = Str(root, "reason", ref error);
            var actor = root.TryGetProperty("actor", out _) ? Str(root, "actor", ref error) : "operator";
            if (error is not null)
            {
                return null;
            }
            if (!FleetNames.IsValidToken(pool))
            {
                error = $"pool '{pool}' is not a valid pool name (1-128 ASCII letters, digits, '-', '_')";
            }
            else if (action is not ("pin" or "unpin"))
            {
                error = $"action '{action}' is not 'pin' or 'unpin'";
            }
            else if (string.IsNullOrWhiteSpace(reason))
            {
                error = "reason must not be empty: say why the pool is pinned or unpinned";
            }
            else if (reason!.Any(char.IsControl) || actor is not null && actor.Any(char.IsControl))
            {
                error = "reason and actor must not hold control characters (newlines, escapes): they go to logs and the routes table";
            }
            else if (reason!.Length > MaxReason)
            {
                error = $"reason is longer than {MaxReason} characters";
            }
            else if (string.IsNullOrWhiteSpace(actor) || actor!.Length > 128)
            {
                error = "actor must be 1-128 characters";
            }
            return error is null ? new RouteRequest(pool!, action == "pin", reason!.Trim(), actor!.Trim()) : null;
        }
    }

    private static string? Str(JsonElement root, string name, ref string? error)
    {
        if (!root.TryGetProperty(name, out var v))
        {
            error ??= $"missing field '{name}'";
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            error ??= $"field '{name}' must be a string, not {v.ValueKind.ToString().ToLowerInvariant()}";
            return null;
        }
        return v.GetString();
    }
}
