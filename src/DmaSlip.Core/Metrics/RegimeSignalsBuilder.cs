using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Metrics;

/// <summary>
/// Turns a host's stream of frames into controller inputs: DFI/DJS/PSO of each frame against the host's baseline,
/// storm recurrence tracked over the trailing horizon, and the caller's deadline pressure. One per host stream; no
/// allocation per frame. Replace <see cref="Baseline"/> when the host is recalibrated.
/// </summary>
internal sealed class RegimeSignalsBuilder
{
    private readonly StormRecurrence _recurrence;

    public RegimeSignalsBuilder(HostBaseline baseline, StormRecurrence? recurrence = null)
    {
        Baseline = baseline ?? throw new ArgumentNullException(nameof(baseline));
        _recurrence = recurrence ?? new StormRecurrence();
    }

    public HostBaseline Baseline { get; set; }

    /// <summary>Signals of <paramref name="frame"/>; storm recurrence counts onsets up to the frame's end.</summary>
    public RegimeSignals Next(HostFrame frame, double deadlinePressure)
    {
        var dfi = DeskMetrics.Dfi(frame, Baseline);
        var storms = _recurrence.Update(frame.WindowStartNs + frame.WindowNs, dfi ?? 0);
        return DeskMetrics.ToSignals(frame, Baseline, storms, deadlinePressure);
    }
}
