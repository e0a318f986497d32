using System.Globalization;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

/// <summary>Why the regime controller changed state. Stored as text (<see cref="TransitionReason.Name"/>).</summary>
public enum ReasonCode
{
    /// <summary>No transition has happened yet.</summary>
    None = 0,

    /// <summary>MAP_STABLE → PRESSURE_WATCH: DFI reached the watch enter threshold.</summary>
    DfiRising,

    /// <summary>MAP_STABLE → PRESSURE_WATCH: DMA jitter spread reached the watch enter threshold.</summary>
    DjsRising,

    /// <summary>MAP_STABLE → PRESSURE_WATCH: packet-service oscillation reached the watch enter threshold.</summary>
    PsoRising,

    /// <summary>PRESSURE_WATCH → FLUSH_STORM: DFI at storm level together with PSO at storm level.</summary>
    StormDfiPso,

    /// <summary>PRESSURE_WATCH → FLUSH_STORM: DFI at storm level together with DJS at storm level.</summary>
    StormDfiDjs,

    /// <summary>PRESSURE_WATCH → FLUSH_STORM: DFI alone held at storm level for the DFI-only confirmation time.</summary>
    StormDfiSustained,

    /// <summary>FLUSH_STORM → SAFE_DMA_CONTAIN: repeated storms within the recurrence window and deadline pressure.</summary>
    RepeatedStormDeadline,

    /// <summary>PRESSURE_WATCH (or SAFE_DMA_CONTAIN once the storm has subsided) → MAP_STABLE: DFI, DJS and PSO all below their watch exit thresholds, dwell served.</summary>
    SignalsCalm,

    /// <summary>FLUSH_STORM or SAFE_DMA_CONTAIN → PRESSURE_WATCH: storm condition gone at exit thresholds (from containment: for the storm's dwell).</summary>
    StormSubsided,

    /// <summary>No longer emitted (containment latches until the storm subsides, issue 19); kept so stored transitions still parse.</summary>
    DeadlinePressureEased,

    /// <summary>SAFE_DMA_CONTAIN → FLUSH_STORM: storms aged out of the recurrence window.</summary>
    RecurrenceAged,
}

/// <summary>The signal a transition was decided on.</summary>
public enum SignalKind
{
/// <summary>No signal decided (no transition yet).</summary>
    None = 0,
/// <summary>DMA flush intensity (0–100).</summary>
    Dfi,
/// <summary>DMA jitter spread (ratio).</summary>
    Djs,
/// <summary>Packet-service oscillation (ratio).</summary>
    Pso,
/// <summary>Storms within the recurrence window.</summary>
    StormRecurrence,
/// <summary>Deadline pressure of the book (0–1).</summary>
    DeadlinePressure,
}

/// <summary>
/// Reason code of a transition with its detail: the deciding signal, its value and the threshold it crossed.
/// A value type so the hot path can record it without allocating; <see cref="ToString"/> is for storage and humans.
/// </summary>
public readonly record struct TransitionReason(ReasonCode Code, SignalKind Signal, double Value, double Threshold)
{
/// <summary>No transition yet.</summary>
    public static TransitionReason None => default;

    /// <summary>Stable snake_case name of the reason code (as stored in <c>regime_transitions.reason</c>).</summary>
    public string Name => Code switch
    {
        ReasonCode.DfiRising => "dfi_rising",
        ReasonCode.DjsRising => "djs_rising",
        ReasonCode.PsoRising => "pso_rising",
        ReasonCode.StormDfiPso => "storm_dfi_pso",
        ReasonCode.StormDfiDjs => "storm_dfi_djs",
        ReasonCode.StormDfiSustained => "storm_dfi_sustained",
        ReasonCode.RepeatedStormDeadline => "repeated_storm_deadline",
        ReasonCode.SignalsCalm => "signals_calm",
        ReasonCode.StormSubsided => "storm_subsided",
        ReasonCode.DeadlinePressureEased => "deadline_pressure_eased",
        ReasonCode.RecurrenceAged => "recurrence_aged",
        _ => "none",
    };

    /// <summary>e.g. <c>dfi_rising: dfi=47.2 &gt;= 40</c>; exits read <c>signals_calm: dfi=18.1 &lt; 25</c>.</summary>
    public override string ToString()
    {
        if (Signal == SignalKind.None)
        {
            return Name;
        }
        var op = Code is ReasonCode.SignalsCalm or ReasonCode.StormSubsided or ReasonCode.DeadlinePressureEased or ReasonCode.RecurrenceAged ? "<" : ">=";
        return string.Create(CultureInfo.InvariantCulture, $"{Name}: {SignalName(Signal)}={Value:0.###} {op} {Threshold:0.###}");
    }

    /// <summary>Parses the code name at the start of a stored reason text.</summary>
    public static bool TryParseCode(string? text, out ReasonCode code)
    {
        var head = text is null ? "" : text.Split(':', 2)[0].Trim();
        for (var c = ReasonCode.None; c <= ReasonCode.RecurrenceAged; c++)
        {
            if (string.Equals(new TransitionReason(c, SignalKind.None, 0, 0).Name, head, StringComparison.Ordinal))
            {
                code = c;
                return true;
            }
        }
        code = ReasonCode.None;
        return false;
    }

    internal static string SignalName(SignalKind s) => s switch
    {
        SignalKind.Dfi => "dfi",
        SignalKind.Djs => "djs",
        SignalKind.Pso => "pso",
        SignalKind.StormRecurrence => "storm_recurrence",
        SignalKind.DeadlinePressure => "deadline_pressure",
        _ => "none",
    };
}

/// <summary>One regime change as the controller made it (for replay and history; not used on the hot path).</summary>
public readonly record struct RegimeChange(long TsNs, Regime From, Regime To, TransitionReason Reason);
