namespace DmaSlip.Core.Domain;

/// <summary>How orders are completed near the deadline.</summary>
public enum CompletionMode
{
    /// <summary>Complete the schedule; cross when behind.</summary>
    Normal,
    /// <summary>Prefer finishing late/short over crossing into a storm: conservative completion.</summary>
    Conservative,
}

/// <summary>
/// The execution policy the regime controller hands the execution engine (DESIGN §6). A value type so the hot path
/// can read it without allocation. Rates per second, spacing in ns; <see cref="PacingFactor"/> stretches the
/// schedule's dispatch grid (1 = as planned, 2 = half the rate).
/// </summary>
public readonly record struct ExecutionPolicy(
    double ReplaceRateCapPerSecond,
    double PacingFactor,
    int MaxChildBurst,
    long MinSpacingNs,
    CatchUpMode CatchUpMode,
    RoutingPreference Routing,
    CompletionMode Completion)
{
    /// <summary>The policy of a calm host: no caps beyond the engine's own.</summary>
    public static ExecutionPolicy Normal { get; } = new(double.PositiveInfinity, 1.0, int.MaxValue, 0, CatchUpMode.Panic, RoutingPreference.Any, CompletionMode.Normal);
}

/// <summary>
/// Inputs of one regime-controller update: the host's desk metrics for the latest window, how many storms it has
/// had recently, and how much of the book's schedule is at risk of missing its deadline (0–1).
/// </summary>
public readonly record struct RegimeSignals(double Dfi, double Djs, double Pso, int StormRecurrence, double DeadlinePressure);
