using System.Collections.Concurrent;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Drills;

/// <summary>What the controller did on one simulated host: its per-window DFI and its transitions.</summary>
internal sealed class HostControlTrace(string host, string pool)
{
    public string Host { get; } = host;

    public string Pool { get; } = pool;

    public List<(long TsNs, RegimeSignals Signals)> Windows { get; } = [];

    public List<RegimeChange> Changes { get; } = [];
}

/// <summary>
/// Drives the simulator's execution and routing with the regime controller, as an on-host agent would: each host's
/// frames (all queues of a window) become one <see cref="RegimeSignals"/> (worst queue, Core.Metrics formulas against
/// a baseline calibrated on the host's first <paramref name="calibrationNs"/> of frames), the controller updates, and
/// the simulator follows its policy. Real hosts are traced; twins run the same controller untraced.
/// </summary>
internal sealed class ControllerPolicyProvider(RegimeControllerConfig config, long calibrationNs) : IPolicyProvider
{
    public ConcurrentDictionary<string, HostControlTrace> Traces { get; } = new(StringComparer.Ordinal);

    public IHostPolicySource ForHost(HostInfo host, bool twin)
    {
        var trace = twin ? null : Traces.GetOrAdd(host.Host, h => new HostControlTrace(h, host.Pool));
        return new Source(config, calibrationNs, trace);
    }

    private sealed class Source(RegimeControllerConfig config, long calibrationNs, HostControlTrace? trace) : IHostPolicySource
    {
        private readonly List<HostFrame> _calibration = [];
        private readonly List<HostFrame> _window = [];
        private RegimeController? _controller;
        private HostBaseline? _baseline;
        private long _windowStart = long.MinValue;
        private int _queues;
        private long _firstStart = long.MinValue;

        public ExecutionPolicy Policy => _controller?.Policy ?? config.MapStablePolicy;

        public Regime Regime => _controller?.Current ?? Regime.MapStable;

        public void OnFrame(HostFrame frame)
        {
            if (frame.WindowStartNs != _windowStart)
            {
                if (_window.Count > 0)
                {
                    Close();
                }
                _windowStart = frame.WindowStartNs;
            }
            _window.Add(frame);
            // After the first window we know how many queues report; close as soon as all have, not one window late.
            if (_queues > 0 && _window.Count >= _queues)
            {
                Close();
            }
        }

        private void Close()
        {
            var end = _window[0].WindowStartNs + _window[0].WindowNs;
            if (_queues == 0)
            {
                _queues = _window.Count;
            }
            if (_firstStart == long.MinValue)
            {
                _firstStart = _window[0].WindowStartNs;
            }
            if (_baseline is null)
            {
                _calibration.AddRange(_window);
                if (end - _firstStart >= calibrationNs)
                {
                    _baseline = HostBaseline.FromFrames(_window[0].Host, _calibration);
                    _controller = new RegimeController(config, end);
                }
                _window.Clear();
                return;
            }
            RegimeSignals worst = default;
            foreach (var f in _window)
            {
                var s = DeskMetrics.ToSignals(f, _baseline, 0, 0);
                worst = new RegimeSignals(Math.Max(worst.Dfi, s.Dfi), Math.Max(worst.Djs, s.Djs), Math.Max(worst.Pso, s.Pso), 0, 0);
            }
            _window.Clear();
            var from = _controller!.Current;
            var changed = _controller.Update(end, worst);
            if (trace is not null)
            {
                trace.Windows.Add((end, worst));
                if (changed)
                {
                    trace.Changes.Add(new RegimeChange(end, from, _controller.Current, _controller.LastReason));
                }
            }
        }
    }
}
