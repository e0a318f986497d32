using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Metrics;

/// <summary>Why a published desk metric has no value.</summary>
public enum SignalGap : byte
{
    /// <summary>The value is there.</summary>
    None = 0,

    /// <summary>The host's baseline is still being gathered (DFI needs it).</summary>
    WarmingUp = 1,

    /// <summary>No queue of the window had the metric's input (DFI: no flush source; DJS: no DMA latency; PSO: no RX/TX cadence).</summary>
    NoSource = 2,

    /// <summary>Not computed, reason not known (a wire v1 message sends a missing value as NaN with no reason).</summary>
    Unknown = 3,
}

/// <summary>One published desk metric: its value, or null and why (<see cref="Gap"/>).</summary>
public readonly record struct SignalValue(double? Value, SignalGap Gap)
{
    public static SignalValue Of(double value) => double.IsFinite(value) ? new(value, SignalGap.None) : new(null, SignalGap.Unknown);

    public static SignalValue Missing(SignalGap gap) =>
        gap == SignalGap.None ? throw new ArgumentOutOfRangeException(nameof(gap), "a missing value has a reason") : new(null, gap);

    /// <summary>The value, or NaN when there is none (for a wire or gauge that has no null).</summary>
    public double OrNaN => Value ?? double.NaN;

    /// <summary>Why the value of <paramref name="metric"/> is null, in words; null when there is a value.</summary>
    public string? Reason(string metric) => Gap switch
    {
        SignalGap.None when Value is not null => null,
        SignalGap.WarmingUp => "warming up (the host's baseline is not complete yet)",
        SignalGap.NoSource => metric switch
        {
            "dfi" => "no flush source",
            "djs" => "no DMA latency source",
            "pso" => "no RX/TX cadence source",
            _ => "no source",
        },
        _ => "not computed (reason not sent)",
    };
}

/// <summary>
/// A host's desk metrics as the agent publishes and the service shows them: each a value or null with a reason. The
/// controller's own inputs (<see cref="RegimeSignals"/>) take a missing metric as 0, no evidence of pressure; a
/// published 0 would look like a measurement, so what leaves the pipeline is this.
/// </summary>
public readonly record struct HostSignals(SignalValue Dfi, SignalValue Djs, SignalValue Pso, int StormRecurrence, double DeadlinePressure)
{
    /// <summary>Nothing computed yet: the window was one of the warm-up.</summary>
    public static HostSignals WarmingUp { get; } =
        new(SignalValue.Missing(SignalGap.WarmingUp), SignalValue.Missing(SignalGap.WarmingUp), SignalValue.Missing(SignalGap.WarmingUp), 0, 0);

    /// <summary>
    /// Every metric present, except a NaN/±Inf one (null, reason unknown): what a message without reasons (wire v1)
    /// carries.
    /// </summary>
    public static HostSignals FromValues(RegimeSignals s) =>
        new(SignalValue.Of(s.Dfi), SignalValue.Of(s.Djs), SignalValue.Of(s.Pso), s.StormRecurrence, s.DeadlinePressure);

    public static implicit operator HostSignals(RegimeSignals s) => FromValues(s);

    /// <summary>
    /// A window's published metrics: each the maximum over its queues of those that have it (the worst queue, as the
    /// controller takes it); a metric no queue has is <see cref="SignalGap.NoSource"/>, and DFI is
    /// <see cref="SignalGap.WarmingUp"/> while <paramref name="baseline"/> is null and some queue has a flush source.
    /// </summary>
    public static HostSignals WorstQueue(IReadOnlyList<HostFrame> frames, HostBaseline? baseline, int stormRecurrence, double deadlinePressure)
    {
        ArgumentNullException.ThrowIfNull(frames);
        double? dfi = null, djs = null, pso = null;
        var flushSource = false;
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            flushSource |= f.FlushRate is not null || f.FlushBurstQ95 is not null;
            dfi = Max(dfi, baseline is null ? null : DeskMetrics.Dfi(f, baseline));
            djs = Max(djs, DeskMetrics.Djs(f));
            pso = Max(pso, DeskMetrics.Pso(f));
        }
        var dfiValue = dfi is { } d ? SignalValue.Of(d)
            : SignalValue.Missing(flushSource && baseline is null ? SignalGap.WarmingUp : SignalGap.NoSource);
        return new HostSignals(dfiValue, Value(djs), Value(pso), stormRecurrence, deadlinePressure);
    }

    private static SignalValue Value(double? v) => v is { } x ? SignalValue.Of(x) : SignalValue.Missing(SignalGap.NoSource);

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
