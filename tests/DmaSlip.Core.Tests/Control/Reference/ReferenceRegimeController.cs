using System.Diagnostics;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Control.Reference;

/// <summary>
/// The regime controller as first written (straightforward: thresholds read off the snapshot on every update, the
/// storm ring scanned in full, reasons built while testing conditions), kept verbatim as the oracle that the tuned
/// <see cref="RegimeController"/> must match decision for decision (RegimeControllerEquivalenceTests).
/// </summary>
internal sealed partial class ReferenceRegimeController
{
    /// <summary>Storm entries remembered for the recurrence count (older ones fall out of the ring).</summary>
    private const int StormRingSize = 32;

    private readonly long[] _stormEntries = new long[StormRingSize];
    private RegimeControllerConfig _config;
    private RegimeControllerConfig _applied;
    private ExecutionPolicy _policy;
    private Regime _current;
    private long _enteredAtNs;
    private long _lastTsNs;
    private long _pendingSinceNs = NotPending;
    private long _subsidedSinceNs = NotPending;
    private int _stormCount;
    private TransitionReason _lastReason;
    private long _transitions;
    private long _outOfOrder;

    private const long NotPending = long.MinValue;

    /// <summary>Starts in MAP_STABLE at <paramref name="startTsNs"/> under a validated <paramref name="config"/>.</summary>
    /// <exception cref="ConfigValidationException">The config breaks a rule.</exception>
    public ReferenceRegimeController(RegimeControllerConfig config, long startTsNs = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        _config = config;
        _applied = config;
        _policy = config.MapStablePolicy;
        _current = Regime.MapStable;
        _enteredAtNs = startTsNs;
        _lastTsNs = startTsNs;
    }

    public Regime Current => _current;

    /// <summary>The execution policy of the current regime under the applied config snapshot.</summary>
    public ref readonly ExecutionPolicy Policy => ref _policy;

    /// <summary>Reason code and detail of the last transition (<see cref="TransitionReason.None"/> before the first).</summary>
    public TransitionReason LastReason => _lastReason;

    /// <summary>When the current regime was entered.</summary>
    public long EnteredAtNs => _enteredAtNs;

    /// <summary>Timestamp of the last accepted update.</summary>
    public long LastUpdateNs => _lastTsNs;

    /// <summary>Transitions made since construction.</summary>
    public long Transitions => _transitions;

    /// <summary>Updates ignored because their timestamp went backwards (out-of-order frames are dropped, not applied).</summary>
    public long OutOfOrderUpdates => _outOfOrder;

    /// <summary>The config snapshot the next update will run under.</summary>
    public RegimeControllerConfig Config => Volatile.Read(ref _config);

    /// <summary>
    /// Swaps in a new immutable config snapshot, atomically (any thread). The current regime and its entry time are
    /// kept; the new thresholds, dwells and policies apply from the owner's next <see cref="Update"/>.
    /// </summary>
    /// <exception cref="ConfigValidationException">The config breaks a rule; the old snapshot stays.</exception>
    public void Reconfigure(RegimeControllerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        Volatile.Write(ref _config, config);
    }

    /// <summary>
    /// Feeds the signals of the window ending at <paramref name="timestampNs"/>; returns true when the regime changed
    /// (then <see cref="Current"/>, <see cref="Policy"/> and <see cref="LastReason"/> describe the new state).
    /// At most one step per update. A timestamp older than the last update is ignored and counted; a NaN DFI means
    /// "no data for this window" and holds the state.
    /// </summary>
    public bool Update(long timestampNs, in RegimeSignals signals)
    {
        var cfg = Volatile.Read(ref _config);
        if (!ReferenceEquals(cfg, _applied))
        {
            _applied = cfg;
            _policy = cfg.PolicyFor(_current);
        }
        if (timestampNs < _lastTsNs)
        {
            _outOfOrder++;
            return false;
        }
        _lastTsNs = timestampNs;
        if (double.IsNaN(signals.Dfi))
        {
            return false;
        }

        var changed = _current switch
        {
            Regime.MapStable => StepFromStable(cfg, timestampNs, signals),
            Regime.PressureWatch => StepFromWatch(cfg, timestampNs, signals),
            Regime.FlushStorm => StepFromStorm(cfg, timestampNs, signals),
            _ => StepFromContain(cfg, timestampNs, signals),
        };
        AssertInvariants(cfg, timestampNs);
        return changed;
    }

    /// <summary>FLUSH_STORM entries within the recurrence window ending at <paramref name="nowNs"/> (own history).</summary>
    public int OwnStormRecurrence(long nowNs) => CountStorms(Volatile.Read(ref _config), nowNs);

    [Conditional("DEBUG")]
    private void AssertInvariants(RegimeControllerConfig cfg, long nowNs)
    {
        Debug.Assert(_current is >= Regime.MapStable and <= Regime.SafeDmaContain, "regime out of range");
        Debug.Assert(_enteredAtNs <= nowNs, "entered in the future");
        Debug.Assert(_policy == cfg.PolicyFor(_current), "policy does not match the regime under the applied config");
        Debug.Assert(_pendingSinceNs == NotPending || _pendingSinceNs <= nowNs, "pending escalation starts in the future");
    }
}
