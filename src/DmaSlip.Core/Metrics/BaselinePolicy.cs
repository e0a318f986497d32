namespace DmaSlip.Core.Metrics;

/// <summary>
/// Where a <see cref="HostSignalPipeline"/> takes the host's calm <see cref="HostBaseline"/> from.
/// <list type="bullet">
/// <item><b>Warm-up</b> (what an agent must do): the host's first windows build the baseline; during them the controller
/// does not run (the host is MAP_STABLE and the signals are zeros). The span is a number of windows, or a duration
/// turned into whole windows at the first window (⌈duration / window length⌉).</item>
/// <item><b>Hindsight</b> (analysis only): a baseline built from the whole recording is given up front and every window
/// feeds the controller. No live system can do this; it answers "what would a perfectly calibrated host have done".</item>
/// </list>
/// </summary>
public sealed record BaselinePolicy
{
    /// <summary>The agent's default warm-up: 50 windows.</summary>
    public const int DefaultWarmUpWindows = 50;

    private BaselinePolicy()
    {
    }

    /// <summary>Warm-up windows (null when the warm-up is a duration or the policy is hindsight).</summary>
    public int? WarmUpWindows { get; private init; }

    /// <summary>Warm-up duration in ns (null when the warm-up is counted in windows or the policy is hindsight).</summary>
    public long? WarmUpNs { get; private init; }

    /// <summary>The hindsight baseline (null for a warm-up policy).</summary>
    public HostBaseline? Hindsight { get; private init; }

    public bool IsHindsight => Hindsight is not null;

    public static BaselinePolicy WarmUp(int windows = DefaultWarmUpWindows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windows);
        return new BaselinePolicy { WarmUpWindows = windows };
    }

    public static BaselinePolicy WarmUpFor(long durationNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationNs);
        return new BaselinePolicy { WarmUpNs = durationNs };
    }

    public static BaselinePolicy FromHindsight(HostBaseline baseline) =>
        new() { Hindsight = baseline ?? throw new ArgumentNullException(nameof(baseline)) };

    /// <summary>Windows of warm-up for windows of <paramref name="windowNs"/> (0 under hindsight).</summary>
    public int WarmUpWindowsFor(long windowNs) =>
        Hindsight is not null ? 0
        : WarmUpWindows ?? (int)Math.Max(1, (WarmUpNs!.Value + windowNs - 1) / Math.Max(1, windowNs));

    /// <summary>"warm-up 50 windows", "warm-up 60 s", "hindsight": how reports and notes name the policy.</summary>
    public override string ToString() =>
        Hindsight is not null ? "hindsight"
        : WarmUpWindows is { } w ? $"warm-up {w} windows"
        : FormattableString.Invariant($"warm-up {WarmUpNs!.Value / (double)Domain.Time.NanosPerSecond:0.###} s");
}
