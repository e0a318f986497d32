using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

/// <summary>
/// The regime controller an execution engine embeds (DESIGN §6, docs/CONTROLLER.md): MAP_STABLE → PRESSURE_WATCH →
/// FLUSH_STORM → SAFE_DMA_CONTAIN with hysteresis (separate enter/exit thresholds), confirmation before escalating,
/// a minimum dwell before stepping down, and a reason on every transition.
/// </summary>
/// <remarks>
/// Threading: <see cref="Update"/>, <see cref="Current"/> and <see cref="Policy"/> belong to one owner thread (the
/// engine's). <see cref="Reconfigure"/> may be called from any thread: it swaps an immutable snapshot with a volatile
/// write and the owner picks it up at its next <see cref="Update"/>. Update never reads a clock, never allocates and
/// never throws.
/// </remarks>
public sealed partial class RegimeController
{
    /// <summary>Storm entries remembered for the recurrence count (older ones fall out of the ring). A power of two.</summary>
    private const int StormRingSize = 32;

    private const long NotPending = long.MinValue;

    private readonly long[] _stormEntries = new long[StormRingSize];
    private RegimeControllerConfig _config;

    // The snapshot the owner thread runs under, and the flat copy of its numbers the hot path reads (rebuilt only
    // when the snapshot changes, so an update reads the volatile field once and compares one reference).
    private RegimeControllerConfig _applied;
    private HotThresholds _t;
    private ExecutionPolicy _policy;
    private Regime _current;
    private long _dwellNs;
    private long _enteredAtNs;
    private long _lastTsNs;
    private long _pendingSinceNs = NotPending;
    private long _subsidedSinceNs = NotPending;
    private int _stormCount;
    private int _firstLiveStorm;
    private TransitionReason _lastReason;
    private long _transitions;
    private long _outOfOrder;

    /// <summary>Starts in MAP_STABLE at <paramref name="startTsNs"/> under a validated <paramref name="config"/>.</summary>
    /// <exception cref="ConfigValidationException">The config breaks a rule.</exception>
    public RegimeController(RegimeControllerConfig config, long startTsNs = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        _config = config;
        _current = Regime.MapStable;
        _enteredAtNs = startTsNs;
        _lastTsNs = startTsNs;
        Apply(config);
    }

/// <summary>The regime the engine runs in now.</summary>
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
            Apply(cfg);
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
            Regime.MapStable => StepFromStable(timestampNs, signals),
            Regime.PressureWatch => StepFromWatch(timestampNs, signals),
            Regime.FlushStorm => StepFromStorm(timestampNs, signals),
            _ => StepFromContain(timestampNs, signals),
        };
        AssertInvariants(cfg, timestampNs);
        return changed;
    }

    /// <summary>FLUSH_STORM entries within the recurrence window ending at <paramref name="nowNs"/> (own history).</summary>
    public int OwnStormRecurrence(long nowNs)
    {
        // Any instant, not only the owner's latest: a plain scan rather than the hot path's sliding count.
        var window = Volatile.Read(ref _config).RecurrenceWindowNs;
        var n = 0;
        var held = Math.Min(_stormCount, StormRingSize);
        for (var i = 0; i < held; i++)
        {
            if (nowNs - _stormEntries[i] < window)
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>The hot path's sliding count of own storms at the last update (tests compare it with a full scan).</summary>
    internal int SlidingStormCount() => LiveStorms(_lastTsNs);

    /// <summary>Takes a new snapshot into use: the regime's policy and dwell under it, and the flat thresholds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [MemberNotNull(nameof(_applied))]
    private void Apply(RegimeControllerConfig cfg)
    {
        _applied = cfg;
        _t = new HotThresholds(cfg);
        _policy = cfg.PolicyFor(_current);
        _dwellNs = cfg.DwellNs(_current);
        // A longer window can bring storms that had aged out back into it: recount from the oldest one held.
        _firstLiveStorm = 0;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants(RegimeControllerConfig cfg, long nowNs)
    {
        Debug.Assert(_current is >= Regime.MapStable and <= Regime.SafeDmaContain, "regime out of range");
        Debug.Assert(_enteredAtNs <= nowNs, "entered in the future");
        Debug.Assert(ReferenceEquals(cfg, _applied), "ran under a snapshot other than the one read");
        Debug.Assert(_policy == cfg.PolicyFor(_current), "policy does not match the regime under the applied config");
        Debug.Assert(_dwellNs == cfg.DwellNs(_current), "dwell does not match the regime under the applied config");
        Debug.Assert(_pendingSinceNs == NotPending || _pendingSinceNs <= nowNs, "pending escalation starts in the future");
        Debug.Assert(_subsidedSinceNs == NotPending || (_current == Regime.SafeDmaContain && _subsidedSinceNs <= nowNs), "subsidence clock outside containment");
        Debug.Assert(LiveStorms(nowNs) == OwnStormRecurrence(nowNs), "sliding storm count drifted from a full count");
    }

    /// <summary>
    /// The numbers the hot path compares against, copied flat out of one snapshot: no property calls, no struct
    /// copies, no switch on the regime to find a dwell.
    /// </summary>
    private readonly struct HotThresholds(RegimeControllerConfig c)
    {
        public readonly double WatchEnterDfi = c.WatchEnter.Dfi;
        public readonly double WatchEnterDjs = c.WatchEnter.Djs;
        public readonly double WatchEnterPso = c.WatchEnter.Pso;
        public readonly double WatchExitDfi = c.WatchExit.Dfi;
        public readonly double WatchExitDjs = c.WatchExit.Djs;
        public readonly double WatchExitPso = c.WatchExit.Pso;
        public readonly double StormEnterDfi = c.StormEnter.Dfi;
        public readonly double StormEnterDjs = c.StormEnter.Djs;
        public readonly double StormEnterPso = c.StormEnter.Pso;
        public readonly double StormExitDfi = c.StormExit.Dfi;
        public readonly double ContainEnterDeadline = c.ContainEnter.DeadlinePressure;
        public readonly int ContainEnterRecurrence = c.ContainEnter.StormRecurrence;
        public readonly int ContainExitRecurrence = c.ContainExit.StormRecurrence;
        public readonly long WatchConfirmNs = c.WatchConfirmNs;
        public readonly long StormConfirmNs = c.StormConfirmNs;
        public readonly long StormDfiOnlyConfirmNs = c.StormDfiOnlyConfirmNs;
        public readonly long StormDwellNs = c.StormDwellNs;
        public readonly long ContainConfirmNs = c.ContainConfirmNs;
        public readonly long RecurrenceWindowNs = c.RecurrenceWindowNs;
    }
}
