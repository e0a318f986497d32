using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Internal;

namespace DmaSlip.Simulation.Host;

/// <summary>
/// The per-host IOMMU/DMA/NAPI model, stepped once per millisecond for all of the host's queues together (they
/// share one IOMMU unit: its invalidation queue and its page walkers). Plain arithmetic on struct arrays; no
/// allocation inside <see cref="Step"/>. See docs/SIMULATOR.md for the mechanisms and where each constant comes from.
/// </summary>
internal sealed partial class HostModel
{
    private const double MsNs = 1_000_000;

    private readonly HostSetup _setup;
    private readonly HostPhysics _ph;
    private readonly bool _stormsOn;
    private readonly IommuMode _mode;
    private readonly int _nq;
    private readonly double _rxPerMs, _txPerMs, _calmChurn;
    // e^−λ and √λ of the constant TX rate and of the two RX rates (outside and inside a microburst): draws without
    // transcendental functions.
    private readonly double _txExpNeg, _txSqrt;
    private readonly double _rxBurstPerMs, _rxExpNeg, _rxSqrt, _rxBurstExpNeg, _rxBurstSqrt;
    // Physics constants hoisted out of the record (read every queue-step).
    private readonly int _ringSize, _napiBudget, _fqSize, _fqTimeoutMs, _packetBytes;
    private readonly double _packetCpu, _mapUnmapCpu;
    private readonly double _walkNs, _remoteDmaNs;
    private readonly double _burstEnter, _burstExit;
    private readonly double _sMean;
    private Rng _traffic;
    private Rng _storm;

    // per-queue persistent state
    private readonly QueueStep[] _steps;
    private readonly QueueCounters[] _counters;
    private readonly int[] _ring;
    private readonly int[] _fq;
    private readonly bool[] _burst;
    private readonly double[] _churnAcc;
    private readonly int[] _txCarry;

    // host-wide persistent state
    private int _timerFireMs = -1;
    private int _timerOwner;
    private double _qiBacklogNs;
    private double _prevQiRho;
    private double _prevWalkRho;
    private int _stormIdx;
    private bool _gust;
    private HostStep _host;

    /// <summary>dmar_perf_latency buckets (&lt;0.1, &lt;1, &lt;10, &lt;100 µs, &lt;1, &lt;10, ≥10 ms), min/max ns, sum ns, count.</summary>
    public readonly double[] InvLatencyBuckets = new double[7];
    public double InvLatencyMinNs = double.MaxValue, InvLatencyMaxNs, InvLatencySumNs, InvLatencyCount;

    public HostModel(HostSetup setup, HostPhysics physics, long seed, bool stormsOn)
    {
        _setup = setup;
        _ph = physics;
        _stormsOn = stormsOn && setup.Storms.Count > 0;
        _mode = setup.Mode;
        _nq = setup.Queues;
        _rxPerMs = setup.Pool.RxPps / 1000.0;
        _txPerMs = setup.Pool.TxPps / 1000.0;
        (_txExpNeg, _txSqrt) = (Math.Exp(-_txPerMs), Math.Sqrt(_txPerMs));
        _rxBurstPerMs = _rxPerMs * physics.BurstMultiplier;
        (_rxExpNeg, _rxSqrt) = (Math.Exp(-_rxPerMs), Math.Sqrt(_rxPerMs));
        (_rxBurstExpNeg, _rxBurstSqrt) = (Math.Exp(-_rxBurstPerMs), Math.Sqrt(_rxBurstPerMs));
        _ringSize = physics.RingSize;
        _napiBudget = physics.NapiBudget;
        _fqSize = physics.FlushQueueSize;
        _fqTimeoutMs = physics.FlushQueueTimeoutMs;
        _packetBytes = physics.PacketBytes;
        _packetCpu = physics.PacketCpuNs;
        _mapUnmapCpu = physics.MapCpuNs + physics.UnmapCpuNs;
        _calmChurn = 1 - setup.Pool.PagePoolRecycle;
        var mem = setup.Pool.NumaMisplaced ? physics.RemoteMemoryNs : physics.LocalMemoryNs;
        _walkNs = physics.WalkAccesses * mem;
        _remoteDmaNs = setup.Pool.NumaMisplaced ? physics.RemoteDmaNs : 0;
        _burstEnter = physics.BurstsPerSecond / 1000.0;
        _burstExit = 1.0 / physics.BurstMeanMs;
        _sMean = physics.InvalidationMedianNs * Math.Exp(physics.InvalidationSigma * physics.InvalidationSigma / 2);
        _traffic = Rng.Create(seed, RngStream.HostTraffic, setup.Index);
        _storm = Rng.Create(seed, RngStream.HostStorm, setup.Index);
        _steps = new QueueStep[_nq];
        _counters = new QueueCounters[_nq];
        _ring = new int[_nq];
        _fq = new int[_nq];
        _burst = new bool[_nq];
        _churnAcc = new double[_nq];
        _txCarry = new int[_nq];
        for (var q = 0; q < _nq; q++)
        {
            _steps[q].Cpu = setup.CpuOf(q);
        }
    }

    public HostSetup Setup => _setup;

    public ReadOnlySpan<QueueStep> Steps => _steps;

    public ReadOnlySpan<QueueCounters> Counters => _counters;

    public ref readonly HostStep Host => ref _host;

    /// <summary>Advances the host by one millisecond (<paramref name="ms"/> since the session start).</summary>
    public void Step(int ms)
    {
        var (stormChurn, turnover) = StormState(ms);
        var storm = turnover > 0;
        var churn = storm ? Math.Max(stormChurn, _calmChurn) : _calmChurn;
        var translated = _mode != IommuMode.Passthrough;
        var strict = _mode == IommuMode.Strict;

        // Invalidation cost this step, from last step's load (a one-step lag avoids solving a fixed point).
        var s = _sMean * (1 + _ph.InvalidationLoadFactor * _prevWalkRho);
        var sDomain = s * _ph.DomainFlushCostFactor;
        var rho = _prevQiRho;
        // Lock wait on q_lock: M/D/1 wait, bounded by the other CPUs each having one invalidation ahead (closed system).
        var maxWait = (_nq - 1) * s;
        var wait = rho >= 0.999 ? maxWait : Math.Min(s * rho / (2 * (1 - rho)), maxWait);
        var backlogShare = _qiBacklogNs / _nq;
        var backlogSpin = Math.Min(backlogShare, MsNs);
        // CPU cost per packet (the same for every queue this step); strict mode makes every released buffer a
        // synchronous invalidation (spin).
        var invCost = s + wait;
        var rxCpu = _packetCpu + (translated ? churn * _mapUnmapCpu : 0) + (strict ? churn * invCost : 0);
        var txCpu = _packetCpu + (translated ? _mapUnmapCpu : 0) + (strict ? invCost : 0);
        var perRxCpu = 1 / rxCpu;

        var descriptors = 0;
        var qiWorkNs = 0.0;
        for (var q = 0; q < _nq; q++)
        {
            ref var st = ref _steps[q];
            ref var c = ref _counters[q];
            // Market-data microbursts: a two-state Markov-modulated Poisson process (shared with the twin).
            var u = _traffic.NextDouble();
            _burst[q] = _burst[q] ? u >= _burstExit : u < _burstEnter;
            var inBurst = _burst[q];
            var lambda = inBurst ? _rxBurstPerMs : _rxPerMs;
            var rx = inBurst ? _traffic.NextPoisson(lambda, _rxBurstExpNeg, _rxBurstSqrt) : _traffic.NextPoisson(lambda, _rxExpNeg, _rxSqrt);
            var tx = _traffic.NextPoisson(_txPerMs, _txExpNeg, _txSqrt) + _txCarry[q];
            if (storm)
            {
                rx += _storm.NextPoisson(lambda * (turnover - 1));
            }

            var ring = _ring[q] + rx;
            var dropped = 0;
            if (ring > _ringSize)
            {
                dropped = ring - _ringSize;
                ring = _ringSize;
            }

            var avail = MsNs - backlogSpin - tx * txCpu;
            var capacity = avail <= 0 ? 0 : (int)(avail * perRxCpu);
            var processed = Math.Min(ring, capacity);
            ring -= processed;
            var cpuLimited = ring > 0;
            // The sending thread shares this CPU (XPS). While softirq work is left over, the sender only runs in the
            // time the CPU neither spins with interrupts off nor serves the ring (its CFS half of what ksoftirqd
            // leaves); the other sends wait and go out together once the ring drains: late and bunched.
            var deferred = cpuLimited ? DeferredSends(tx, backlogSpin, processed, rxCpu) : 0;
            tx -= deferred;
            _txCarry[q] = deferred;

            // Page pool: recycled buffers stay mapped; released ones are unmapped and refilled by a fresh map.
            _churnAcc[q] += processed * churn;
            var released = (int)_churnAcc[q];
            _churnAcc[q] -= released;
            var maps = translated ? released + tx : 0;
            var unmaps = maps;

            var inv = strict ? unmaps : 0;
            st.Flushes = 0;
            if (_mode == IommuMode.Lazy && unmaps > 0)
            {
                _fq[q] += unmaps;
                if (_timerFireMs < 0)
                {
                    _timerFireMs = ms + _fqTimeoutMs;
                    _timerOwner = q;
                }
                if (_fq[q] >= _fqSize)
                {
                    // Full per-CPU ring: flush_iotlb_all inline on this CPU; a domain-wide flush frees every CPU's entries.
                    st.Flushes = _fq[q] / _fqSize;
                    ClearFlushQueues();
                }
            }

            descriptors += inv + st.Flushes;
            qiWorkNs += inv * s + st.Flushes * sDomain;
            var spin = inv * invCost + st.Flushes * (sDomain + wait) + backlogSpin;

            st.RxArrived = rx;
            st.RxProcessed = processed;
            st.RxDropped = dropped;
            st.Tx = tx;
            st.TxDeferred = deferred;
            st.Maps = maps;
            st.Unmaps = unmaps;
            st.Invalidations = inv;
            st.RingUsed = ring;
            st.SpinNs = Math.Min(spin, MsNs);
            st.ChurnShare = churn;
            st.Storm = storm;
            st.TimeSqueeze = cpuLimited && processed > 0 ? 1 : 0;
            st.NapiFullPolls = processed / _napiBudget;
            var rem = processed - st.NapiFullPolls * _napiBudget;
            st.NapiPolls = st.NapiFullPolls + (rem > 0 || (rx > 0 && processed == 0) ? 1 : 0);
            st.LastPollWork = rem > 0 ? rem : processed > 0 ? _napiBudget : 0;
            st.PollDurationNs = st.NapiPolls == 0 ? 0 : (processed * rxCpu + backlogSpin) / st.NapiPolls;
            st.DmaCount = processed + tx;
            _ring[q] = ring;

            c.RxPackets += processed;
            c.RxBytes += (long)processed * _packetBytes;
            c.TxPackets += tx;
            c.TxBytes += tx * 128L;
            c.RxOutOfBuffer += dropped;
            c.PpAllocFast += processed - released;
            c.PpAllocSlow += released;
            c.PpRecycleCached += (processed - released) / 2;
            c.PpRecycleRing += processed - released - (processed - released) / 2;
            c.PpReleasedRef += released;
            c.Polls += st.NapiPolls;
            // mlx5 ch_arm: a poll that finished under budget completes NAPI and re-arms the CQ; full polls do not.
            c.Arms += st.NapiPolls - st.NapiFullPolls;
            c.Events += rx > 0 ? 1 : 0;
            c.SoftnetProcessed += processed;
            c.SoftnetSqueeze += st.TimeSqueeze;
            c.Maps += maps;
            c.Unmaps += unmaps;
            c.Invalidations += inv;
        }

        // Lazy-mode timer: 10 ms after the first queued entry, one domain-wide flush frees every CPU's queue.
        if (_mode == IommuMode.Lazy && _timerFireMs >= 0 && ms >= _timerFireMs)
        {
            if (PendingEntries() > 0)
            {
                _steps[_timerOwner].Flushes++;
                descriptors++;
                qiWorkNs += sDomain;
                _steps[_timerOwner].SpinNs = Math.Min(_steps[_timerOwner].SpinNs + sDomain + wait, MsNs);
            }
            ClearFlushQueues();
        }

        FinishStep(ms, storm, translated, descriptors, qiWorkNs, s, wait);
    }

    /// <summary>
    /// Sends a CPU-limited step holds back: the sender gets ½·max(0, 1 − (backlog spin + processed·rx CPU)/1 ms) of the
    /// CPU and sends ⌊tx·share⌋ (docs/METRICS.md "TX deferral").
    /// </summary>
    internal static int DeferredSends(int tx, double backlogSpinNs, int processed, double rxCpuNs)
    {
        var senderShare = 0.5 * Math.Max(0, 1 - ((backlogSpinNs + (processed * rxCpuNs)) / MsNs));
        return tx - (int)(tx * senderShare);
    }

    private void ClearFlushQueues()
    {
        Array.Clear(_fq);
        _timerFireMs = -1;
    }

    private int PendingEntries()
    {
        var n = 0;
        for (var q = 0; q < _nq; q++)
        {
            n += _fq[q];
        }
        return n;
    }

    /// <summary>Storm process: churn share and turnover multiplier (0 = no storm) at <paramref name="ms"/>.</summary>
    private (double Churn, double Turnover) StormState(int ms)
    {
        if (!_stormsOn)
        {
            return (0, 0);
        }
        var storms = _setup.Storms;
        while (_stormIdx < storms.Count && storms[_stormIdx].EndMs <= ms)
        {
            _stormIdx++;
        }
        if (_stormIdx >= storms.Count || ms < storms[_stormIdx].StartMs)
        {
            return (0, 0);
        }
        var w = storms[_stormIdx];
        // Inside a storm window the pressure comes in gusts (mean 300 ms on, 150 ms off): churn and turnover
        // are full in a gust and a third of the excess between gusts.
        var u = _storm.NextDouble();
        _gust = _gust ? u >= 1.0 / 300 : u < 1.0 / 150;
        return _gust
            ? (w.ChurnShare, w.TurnoverMultiplier)
            : (w.ChurnShare / 3, 1 + (w.TurnoverMultiplier - 1) / 3);
    }
}
