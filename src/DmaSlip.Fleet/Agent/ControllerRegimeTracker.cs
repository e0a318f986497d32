using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// The agent's local controller: Core's <see cref="HostSignalPipeline"/> with a warm-up baseline (the host's first
/// <c>warmupWindows</c> windows, calm-trimmed), fed once per window. The agent sees no order book, so deadline
/// pressure is 0 (SAFE_DMA_CONTAIN needs it and is therefore entered only by a controller embedded in the execution
/// engine). Until the baseline exists the controller holds MAP_STABLE; the published signals are null with their
/// reason then, and wherever the host has no source for a metric (the controller takes those as 0).
/// <c>dmaslip controller replay</c> runs the same pipeline with the same default warm-up, so it reproduces this.
/// </summary>
public sealed class ControllerRegimeTracker(string host, RegimeControllerConfig config, int warmupWindows = BaselinePolicy.DefaultWarmUpWindows) : IRegimeTracker
{
    private readonly HostSignalPipeline _pipeline = new(host, config, BaselinePolicy.WarmUp(warmupWindows));

    public Regime Current => _pipeline.Current;

    public HostSignals Signals => _pipeline.Published;

    public HostBaseline? Baseline => _pipeline.Baseline;

    public bool Observe(FrameWindow window, out RegimeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(window);
        return _pipeline.OnWindow(window.Frames, deadlinePressure: 0, out transition);
    }
}
