using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Simulation;

/// <summary>
/// Drives each simulated host's execution policy with the regime controller, exactly as the on-host agent does:
/// frames → baseline (from the host's first <see cref="WarmupSeconds"/> of frames, before which the policy is
/// normal) → DFI/DJS/PSO signals (<see cref="RegimeSignalsBuilder"/>) → <see cref="RegimeController.Update"/>.
/// The twin gets its own controller fed by the twin's (calm) frames.
/// </summary>
public sealed class ControllerPolicyProvider(RegimeControllerConfig? config = null, double warmupSeconds = 60) : IPolicyProvider
{
    public RegimeControllerConfig Config { get; } = config ?? new RegimeControllerConfig();

    public double WarmupSeconds { get; } = warmupSeconds;

    public IHostPolicySource ForHost(HostInfo host, bool twin) => new Source(host.Host, Config, (long)(WarmupSeconds * Time.NanosPerSecond));

    private sealed class Source(string host, RegimeControllerConfig config, long warmupNs) : IHostPolicySource
    {
        private readonly List<HostFrame> _warm = [];
        private long _firstNs = long.MinValue;
        private RegimeSignalsBuilder? _signals;
        private RegimeController? _controller;

        public ExecutionPolicy Policy => _controller is null ? ExecutionPolicy.Normal : _controller.Policy;

        public Regime Regime => _controller?.Current ?? Regime.MapStable;

        public void OnFrame(HostFrame frame)
        {
            var end = frame.WindowStartNs + frame.WindowNs;
            if (_controller is null)
            {
                if (_firstNs == long.MinValue)
                {
                    _firstNs = frame.WindowStartNs;
                }
                _warm.Add(frame);
                if (end - _firstNs < warmupNs)
                {
                    return;
                }
                _signals = new RegimeSignalsBuilder(HostBaseline.FromFrames(host, _warm));
                _controller = new RegimeController(config, end);
                _warm.Clear();
                return;
            }
            var s = _signals!.Next(frame, 0);
            _controller.Update(end, s);
        }
    }
}
