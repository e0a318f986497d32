using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

/// <summary>Thresholds on the three desk metrics for one edge of the state machine (DFI 0–100; DJS and PSO ratios).</summary>
public readonly record struct SignalThresholds(double Dfi, double Djs, double Pso);

/// <summary>Thresholds of the SAFE_DMA_CONTAIN edge: storms within the recurrence window, and deadline pressure (0–1).</summary>
public readonly record struct ContainThresholds(int StormRecurrence, double DeadlinePressure);

/// <summary>
/// Immutable configuration snapshot of a <see cref="RegimeController"/> (docs/CONTROLLER.md). Each escalation edge has
/// an enter threshold set and a lower exit set (hysteresis); each state above MAP_STABLE has a minimum dwell before
/// it may be left downward; each escalation may require its condition to hold for a confirmation time first.
/// Build with <c>with</c> from <see cref="Default"/>; <see cref="Validate"/> lists every problem.
/// </summary>
public sealed partial record RegimeControllerConfig
{
    /// <summary>MAP_STABLE → PRESSURE_WATCH when any of DFI, DJS, PSO reaches its value here.</summary>
    public SignalThresholds WatchEnter { get; init; } = new(50, 2.0, 1.6);

    /// <summary>PRESSURE_WATCH is held while any signal stays at or above its value here.</summary>
    public SignalThresholds WatchExit { get; init; } = new(30, 1.5, 1.3);

    /// <summary>
    /// PRESSURE_WATCH → FLUSH_STORM when DFI reaches its value and PSO or DJS reaches theirs (after
    /// <see cref="StormConfirmNs"/>), or DFI alone holds it for <see cref="StormDfiOnlyConfirmNs"/>.
    /// </summary>
    public SignalThresholds StormEnter { get; init; } = new(80, 4.0, 2.5);

    /// <summary>FLUSH_STORM is held while DFI stays at or above <c>Dfi</c> here (DJS/PSO exits are validated but only DFI holds a storm).</summary>
    public SignalThresholds StormExit { get; init; } = new(60, 3.0, 2.0);

    /// <summary>FLUSH_STORM → SAFE_DMA_CONTAIN when recurrence and deadline pressure both reach these values while the storm holds.</summary>
    public ContainThresholds ContainEnter { get; init; } = new(2, 0.5);

    /// <summary>
    /// SAFE_DMA_CONTAIN is held while the storm holds and recurrence stays at or above <c>StormRecurrence</c> here.
    /// <c>DeadlinePressure</c> is validated (below the enter value) but no longer releases containment: containment
    /// latches until the storm has subsided (issue 19: the containment policy moves the book's deadline pressure, and
    /// releasing on it made FLUSH_STORM ↔ SAFE_DMA_CONTAIN cycle on every dwell).
    /// </summary>
    public ContainThresholds ContainExit { get; init; } = new(2, 0.3);

    /// <summary>
    /// How long the watch condition must hold before escalating to PRESSURE_WATCH (0 = at once). Default 200 ms: a
    /// strict-mode host's flush rate follows its packet rate, so a market-data microburst (tens of ms) lifts one
    /// window's DFI past 50; without confirmation the demo's calm strict hosts flapped ~20 times a minute.
    /// </summary>
    public long WatchConfirmNs { get; init; } = 200 * Time.NanosPerMilli;

    /// <summary>How long the storm condition must hold before escalating to FLUSH_STORM ("sustained" bursts).</summary>
    public long StormConfirmNs { get; init; } = 200 * Time.NanosPerMilli;

    /// <summary>
    /// How long DFI alone must stay at the storm enter level to escalate when neither PSO nor DJS corroborates
    /// ("sustained invalidation bursts" on a host whose cadence and DMA jitter do not show it).
    /// </summary>
    public long StormDfiOnlyConfirmNs { get; init; } = Time.NanosPerSecond;

    /// <summary>How long the contain condition must hold before escalating to SAFE_DMA_CONTAIN.</summary>
    public long ContainConfirmNs { get; init; }

    /// <summary>Minimum time in PRESSURE_WATCH before stepping down to MAP_STABLE.</summary>
    public long WatchDwellNs { get; init; } = 5 * Time.NanosPerSecond;

    /// <summary>Minimum time in FLUSH_STORM before stepping down to PRESSURE_WATCH.</summary>
    public long StormDwellNs { get; init; } = 10 * Time.NanosPerSecond;

    /// <summary>Minimum time in SAFE_DMA_CONTAIN before stepping down to FLUSH_STORM.</summary>
    public long ContainDwellNs { get; init; } = 30 * Time.NanosPerSecond;

    /// <summary>Window in which FLUSH_STORM entries count as recurrence (the controller's own count is merged with the signal's).</summary>
    public long RecurrenceWindowNs { get; init; } = Time.NanosPerHour;

/// <summary>The calm policy (playbook state A): no caps beyond the engine's own.</summary>
    public ExecutionPolicy MapStablePolicy { get; init; } = ExecutionPolicy.Normal;

    /// <summary>Reduce unnecessary replace churn, smooth pacing (playbook state B).</summary>
    public ExecutionPolicy PressureWatchPolicy { get; init; } =
        new(20, 1.25, 8, 200 * Time.NanosPerMicro, CatchUpMode.Bounded, RoutingPreference.Any, CompletionMode.Normal);

    /// <summary>Cap burst size, increase minimum spacing, avoid fragile queue races (playbook state C).</summary>
    public ExecutionPolicy FlushStormPolicy { get; init; } =
        new(5, 1.5, 2, Time.NanosPerMilli, CatchUpMode.Bounded, RoutingPreference.PreferLowPressure, CompletionMode.Normal);

    /// <summary>Route urgent flow through validated low-pressure paths, conservative completion (playbook state D).</summary>
    public ExecutionPolicy SafeDmaContainPolicy { get; init; } =
        new(2, 2.0, 1, 2 * Time.NanosPerMilli, CatchUpMode.Bounded, RoutingPreference.ValidatedLowPressureOnly, CompletionMode.Conservative);

    /// <summary>The shipped defaults (docs/CONTROLLER.md explains each number).</summary>
    public static RegimeControllerConfig Default { get; } = new();

    /// <summary>The policy the engine runs under in <paramref name="regime"/>.</summary>
    public ExecutionPolicy PolicyFor(Regime regime) => regime switch
    {
        Regime.MapStable => MapStablePolicy,
        Regime.PressureWatch => PressureWatchPolicy,
        Regime.FlushStorm => FlushStormPolicy,
        _ => SafeDmaContainPolicy,
    };

    /// <summary>Minimum dwell in <paramref name="regime"/> before a step down; MAP_STABLE is the floor (0).</summary>
    public long DwellNs(Regime regime) => regime switch
    {
        Regime.PressureWatch => WatchDwellNs,
        Regime.FlushStorm => StormDwellNs,
        Regime.SafeDmaContain => ContainDwellNs,
        _ => 0,
    };

    /// <summary>Throws <see cref="ConfigValidationException"/> listing every problem, or returns this config.</summary>
    public RegimeControllerConfig EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ConfigValidationException(errors);
    }
}

/// <summary>A controller configuration broke one or more rules; <see cref="Errors"/> names each field and value.</summary>
public sealed class ConfigValidationException : Exception
{
/// <summary>A config broke the rules in <paramref name="errors"/> (one line each).</summary>
    public ConfigValidationException(IReadOnlyList<string> errors)
        : base("Invalid regime controller config: " + string.Join("; ", errors)) => Errors = errors;

/// <summary>A config broke an unnamed rule.</summary>
    public ConfigValidationException()
        : this([]) { }

/// <summary>A config broke the rule in <paramref name="message"/>.</summary>
    public ConfigValidationException(string message)
        : base(message) => Errors = [message];

/// <summary>A config broke the rule in <paramref name="message"/>, found through <paramref name="inner"/>.</summary>
    public ConfigValidationException(string message, Exception inner)
        : base(message, inner) => Errors = [message];

/// <summary>Every problem found, one line each, naming the field and its value.</summary>
    public IReadOnlyList<string> Errors { get; }
}
