namespace DmaSlip.Core.Domain;

/// <summary>Regime of the controller (DESIGN §6).</summary>
public enum Regime
{
/// <summary>Calm: translation pressure is normal; the engine runs its own schedule.</summary>
    MapStable = 0,
/// <summary>Pressure rising: reduce replace churn, smooth pacing.</summary>
    PressureWatch = 1,
/// <summary>A sustained IOTLB flush storm: cap bursts, widen spacing, prefer low-pressure paths.</summary>
    FlushStorm = 2,
/// <summary>Repeated storms with deadlines at risk: validated low-pressure paths only, conservative completion.</summary>
    SafeDmaContain = 3,
}

/// <summary>Catch-up behaviour when a parent order is behind schedule.</summary>
public enum CatchUpMode
{
    /// <summary>Cross the spread at the maximum rate until back on schedule.</summary>
    Panic,
    /// <summary>Cross at a capped rate, spreading the catch-up over time.</summary>
    Bounded,
}

/// <summary>Routing preference the policy asks for.</summary>
public enum RoutingPreference
{
/// <summary>Route anywhere.</summary>
    Any,
/// <summary>Prefer paths (hosts, NICs) under low translation pressure.</summary>
    PreferLowPressure,
/// <summary>Only paths validated as low-pressure.</summary>
    ValidatedLowPressureOnly,
}

/// <summary>Stable text names of the controller's enums (the rest of the toolkit's names are beside it in EnumText.cs).</summary>
public static partial class EnumText
{
/// <summary>Upper-case name: <c>MAP_STABLE</c>, <c>PRESSURE_WATCH</c>, <c>FLUSH_STORM</c>, <c>SAFE_DMA_CONTAIN</c>.</summary>
    public static string Name(this Regime r) => r switch
    {
        Regime.MapStable => "MAP_STABLE",
        Regime.PressureWatch => "PRESSURE_WATCH",
        Regime.FlushStorm => "FLUSH_STORM",
        _ => "SAFE_DMA_CONTAIN",
    };

/// <summary>Parses a name written by <see cref="Name(Regime)"/>, any case.</summary>
    public static bool TryParseRegime(string? s, out Regime r)
    {
        for (var i = Regime.MapStable; i <= Regime.SafeDmaContain; i++)
        {
            if (string.Equals(i.Name(), s, StringComparison.OrdinalIgnoreCase))
            {
                r = i;
                return true;
            }
        }
        r = Regime.MapStable;
        return false;
    }
}
