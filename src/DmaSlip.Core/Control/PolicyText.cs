using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

/// <summary>Stable snake_case names of the policy enums, as written in config files and printed by the CLI.</summary>
public static class PolicyText
{
/// <summary><c>panic</c> or <c>bounded</c>.</summary>
    public static string Name(CatchUpMode m) => m == CatchUpMode.Bounded ? "bounded" : "panic";

/// <summary><c>any</c>, <c>prefer_low_pressure</c> or <c>validated_low_pressure_only</c>.</summary>
    public static string Name(RoutingPreference r) => r switch
    {
        RoutingPreference.PreferLowPressure => "prefer_low_pressure",
        RoutingPreference.ValidatedLowPressureOnly => "validated_low_pressure_only",
        _ => "any",
    };

/// <summary><c>normal</c> or <c>conservative</c>.</summary>
    public static string Name(CompletionMode c) => c == CompletionMode.Conservative ? "conservative" : "normal";

    internal static CatchUpMode ParseCatchUp(string? s, string path, List<string> e, CatchUpMode fallback)
    {
        switch (s)
        {
            case null: return fallback;
            case "panic": return CatchUpMode.Panic;
            case "bounded": return CatchUpMode.Bounded;
            default: e.Add($"{path}: '{s}' is not a catch-up mode (panic, bounded)"); return fallback;
        }
    }

    internal static RoutingPreference ParseRouting(string? s, string path, List<string> e, RoutingPreference fallback)
    {
        switch (s)
        {
            case null: return fallback;
            case "any": return RoutingPreference.Any;
            case "prefer_low_pressure": return RoutingPreference.PreferLowPressure;
            case "validated_low_pressure_only": return RoutingPreference.ValidatedLowPressureOnly;
            default: e.Add($"{path}: '{s}' is not a routing preference (any, prefer_low_pressure, validated_low_pressure_only)"); return fallback;
        }
    }

    internal static CompletionMode ParseCompletion(string? s, string path, List<string> e, CompletionMode fallback)
    {
        switch (s)
        {
            case null: return fallback;
            case "normal": return CompletionMode.Normal;
            case "conservative": return CompletionMode.Conservative;
            default: e.Add($"{path}: '{s}' is not a completion mode (normal, conservative)"); return fallback;
        }
    }
}
