using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Host;

internal sealed partial class HostModel
{
    private void FinishStep(int ms, bool storm, bool translated, int descriptors, double qiWorkNs, double s, double wait)
    {
        // Invalidation queue: one server for the whole IOMMU unit. Work beyond 1 ms carries over as backlog, and
        // the CPUs that own it spin (serialised on q_lock) instead of serving their rings next step.
        var offered = qiWorkNs + _qiBacklogNs;
        _qiBacklogNs = Math.Max(0, offered - MsNs);
        _prevQiRho = Math.Min(offered / MsNs, 1.0);
        var saturated = offered > MsNs;

        // Domain-wide flushes evict every queue's hot translations; strict page-selective invalidations evict only
        // the unmapped IOVA, and the refill's fresh mapping is a compulsory miss either way.
        var domainFlushes = 0;
        for (var q = 0; q < _nq; q++)
        {
            domainFlushes += _steps[q].Flushes;
        }
        var totalMisses = 0.0;
        for (var q = 0; q < _nq; q++)
        {
            ref var st = ref _steps[q];
            var misses = translated ? Math.Min(st.DmaCount, domainFlushes * _ph.HotTranslationsPerQueue + st.Maps) : 0;
            st.IotlbMisses = misses;
            totalMisses += misses;
        }
        var walkRho = Math.Min(totalMisses * _walkNs / (MsNs * _ph.PageWalkers), 0.95);
        _prevWalkRho = walkRho;
        var walkWait = _walkNs * walkRho / (1 - walkRho);

        // What dmar_perf_latency measures: submit to completion, i.e. service plus the descriptors ahead in the ring.
        var invLatency = s + wait;
        if (descriptors > 0)
        {
            RecordInvalidations(descriptors, invLatency + (saturated ? _qiBacklogNs / Math.Max(descriptors, 1) : 0));
        }

        var ingestSum = 0.0;
        for (var q = 0; q < _nq; q++)
        {
            ref var st = ref _steps[q];
            ref var c = ref _counters[q];
            var missRatio = st.DmaCount == 0 ? 0 : (double)st.IotlbMisses / st.DmaCount;
            st.DmaHitNs = _ph.DmaBaseNs + _remoteDmaNs;
            st.DmaMissNs = st.DmaHitNs + _walkNs + walkWait;
            st.DmaLatencyNs = st.DmaHitNs + missRatio * (_walkNs + walkWait);
            st.InvalidationLatencyNs = st.Invalidations + st.Flushes > 0 ? invLatency : 0;
            st.FlushQueuePending = _fq[q];
            // Residual wait of a packet or send that lands while the CPU spins with interrupts off.
            var chunk = Math.Max(invLatency, 1);
            var residual = st.SpinNs / MsNs * chunk / 2 + (saturated ? _qiBacklogNs / _nq : 0);
            // A completion that lands while the CPU spins with interrupts off is seen when the spin ends: on average
            // half a spin chunk (plus the backlog share when the queue is saturated) after the device finished.
            var spinShare = Math.Min(st.SpinNs / MsNs, 1.0);
            st.DmaStalled = (int)Math.Round(st.DmaCount * spinShare);
            st.DmaStalledNs = st.DmaLatencyNs + chunk / 2 + (saturated ? _qiBacklogNs / _nq : 0);
            var queueing = st.RingUsed == 0 ? 0 : st.RingUsed * (MsNs / Math.Max(st.RxProcessed, 1));
            st.IngestDelayNs = Math.Min(queueing, 200 * MsNs) + (st.DmaLatencyNs - _ph.DmaBaseNs) + residual;
            ingestSum += st.IngestDelayNs;
            c.Flushes += st.Flushes;
            if (translated)
            {
                c.IotlbLookups += st.DmaCount;
                c.IotlbMisses += st.IotlbMisses;
            }
            if (q == 0)
            {
                // The order path sends on queue 0, whose CPU the sending thread shares (XPS maps the TX queue to it):
                // while that CPU is saturated in softirq, a send waits on average half a softirq round, bounded by
                // netdev_budget_usecs (2 jiffies; 2 ms at HZ=1000 is used as the cap).
                var softirq = st.RingUsed == 0 ? 0 : Math.Min(st.RingUsed * st.PollDurationNs / Math.Max(1, _ph.NapiBudget), 2 * MsNs) / 2;
                _host.SendDelayNs = (st.DmaLatencyNs - _ph.DmaBaseNs) + residual + softirq;
            }
        }

        _host.Descriptors = descriptors;
        _host.QiUtilization = _prevQiRho;
        _host.QiBacklogNs = _qiBacklogNs;
        _host.WalkUtilization = walkRho;
        _host.IngestDelayNs = ingestSum / _nq;
        _host.Storm = storm;
        _host.Saturated = saturated;
        _ = ms;
    }

    private double _spread = double.NaN;
    // The bucket-share row of the last latency, valid while the mean stays inside its grid cell [lo, hi).
    private double _cellLo = double.MaxValue, _cellHi = double.MinValue;
    private double[] _cellRow = [];

    private void RecordInvalidations(int count, double meanNs)
    {
        if (double.IsNaN(_spread))
        {
            _spread = Math.Exp(2.5 * _ph.InvalidationSigma);
        }
        if (!(meanNs >= _cellLo && meanNs < _cellHi))
        {
            (_cellRow, _cellLo, _cellHi) = LatencyBuckets.Cell(meanNs, _ph.InvalidationSigma);
        }
        var f = _cellRow;
        for (var b = 0; b < 7; b++)
        {
            InvLatencyBuckets[b] += count * f[b];
        }
        var spread = _spread;
        InvLatencyMinNs = Math.Min(InvLatencyMinNs, meanNs / spread);
        InvLatencyMaxNs = Math.Max(InvLatencyMaxNs, count > 20 ? meanNs * spread : meanNs);
        InvLatencySumNs += count * meanNs;
        InvLatencyCount += count;
    }
}

/// <summary>
/// Shares of a log-normal latency (mean m, σ) falling in the dmar_perf_latency buckets, precomputed on a grid of
/// ln m (step 0.02) so the per-ms step does no transcendental math.
/// </summary>
internal static class LatencyBuckets
{
    private static readonly double[] Edges = [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];
    private const double LnMin = 2.0; // e^2 ≈ 7 ns
    private const double Step = 0.02;
    private const int Rows = 800; // up to e^18 ≈ 66 ms
    // One immutable (σ, table) object swapped as a whole by reference, so a reader never pairs one σ with another σ's table.
    private static volatile SigmaTable _cache = new(double.NaN, []);

    private sealed record SigmaTable(double Sigma, double[][] Table);
    private static readonly Lock Gate = new();

    /// <summary>The row for <paramref name="meanNs"/> and the range of means that share it (so callers can skip the logarithm).</summary>
    public static (double[] Row, double Lo, double Hi) Cell(double meanNs, double sigma)
    {
        var table = TableFor(sigma);
        var i = Math.Clamp((int)Math.Round((Math.Log(Math.Max(meanNs, 1)) - LnMin) / Step), 0, Rows - 1);
        // Math.Round rounds half to even, so a mean on a cell edge may belong to either side: the cached range stays
        // strictly inside the edges and edge values take this slow path.
        var lo = i == 0 ? double.MinValue : Math.Exp(LnMin + ((i - 0.5) * Step)) * (1 + 1e-12);
        var hi = i == Rows - 1 ? double.MaxValue : Math.Exp(LnMin + ((i + 0.5) * Step)) * (1 - 1e-12);
        return (table[i], lo, hi);
    }

    public static ReadOnlySpan<double> Fractions(double meanNs, double sigma) => Cell(meanNs, sigma).Row;

    private static double[][] TableFor(double sigma)
    {
        var cached = _cache;
        if (cached.Sigma == sigma)
        {
            return cached.Table;
        }
        lock (Gate)
        {
            if (_cache.Sigma != sigma)
            {
                _cache = new SigmaTable(sigma, Build(sigma));
            }
            return _cache.Table;
        }
    }

    private static double[][] Build(double sigma)
    {
        var t = new double[Rows][];
        for (var i = 0; i < Rows; i++)
        {
            var lnMean = LnMin + i * Step;
            var mu = lnMean - sigma * sigma / 2;
            var row = new double[7];
            var prev = 0.0;
            for (var b = 0; b < 6; b++)
            {
                var cdf = sigma <= 0 ? (lnMean < Math.Log(Edges[b]) ? 1 : 0) : Internal.Normals.Cdf((Math.Log(Edges[b]) - mu) / sigma);
                row[b] = cdf - prev;
                prev = cdf;
            }
            row[6] = 1 - prev;
            t[i] = row;
        }
        return t;
    }
}
