using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

public sealed partial class HostFrameEngine
{
    private void CloseWindow()
    {
        var seconds = _windowNs / (double)Time.NanosPerSecond;
        var useFlush = _options.Invalidations switch
        {
            InvalidationSource.Flush => true,
            InvalidationSource.QiSubmit => false,
            _ => _flushes > 0 || _qiSubmits == 0,
        };
        var invalidations = useFlush ? _flushes : _qiSubmits;
        var bursts = _scratch.AsSpan();
        Copy(useFlush ? _flushSlots : _qiSlots, bursts);
        bursts.Sort();

        var frame = new HostFrame(
            Host,
            Device,
            Queue,
            _windowStart,
            _windowNs,
            FlushRate: invalidations / seconds,
            FlushBurstQ50: ExactQuantile.OfSorted(bursts, 0.50),
            FlushBurstQ95: ExactQuantile.OfSorted(bursts, 0.95),
            FlushBurstQ99: ExactQuantile.OfSorted(bursts, 0.99),
            MapRate: _maps / seconds,
            UnmapRate: _unmaps / seconds,
            IotlbMissRatio: null,
            InvLatencyQ50Ns: QuantileOrNull(_invLatency, 0.50),
            InvLatencyQ99Ns: QuantileOrNull(_invLatency, 0.99),
            DmaLatencyQ50Ns: QuantileOrNull(_dmaLatency, 0.50),
            DmaLatencyQ99Ns: QuantileOrNull(_dmaLatency, 0.99),
            RingOscillation: _occupancy.Count == 0 ? null : _occupancy.Quantile(0.95) - _occupancy.Quantile(0.05),
            NapiPollVarianceUs2: _napiTimed == 0 ? null : _napiM2 / _napiTimed,
            NapiSaturationShare: _napiBudgeted == 0 ? null : _napiSaturated / (double)_napiBudgeted,
            NumaLocalShare: _buffers == 0 ? null : _localBuffers / (double)_buffers,
            RxCadenceCv: _rx == 0 ? null : SlotCv(_rxSlots),
            TxCadenceCv: _tx == 0 ? null : SlotCv(_txSlots),
            Events: _events);
        FramesEmitted++;
        _sink.OnFrame(frame);
    }

    private void ResetWindow()
    {
        if (_flushes > 0)
        {
            Array.Clear(_flushSlots);
        }
        if (_qiSubmits > 0)
        {
            Array.Clear(_qiSlots);
        }
        if (_rx > 0)
        {
            Array.Clear(_rxSlots);
        }
        if (_tx > 0)
        {
            Array.Clear(_txSlots);
        }
        _invLatency.Clear();
        _dmaLatency.Clear();
        _occupancy.Clear();
        _events = _flushes = _qiSubmits = _maps = _unmaps = _rx = _tx = 0;
        _napiTimed = _napiBudgeted = _napiSaturated = 0;
        _napiMeanUs = _napiM2 = 0;
        _buffers = _localBuffers = 0;
    }

    private static double? QuantileOrNull(LogSketch sketch, double q) => sketch.Count == 0 ? null : sketch.Quantile(q);

    private static void Copy(long[] source, Span<double> target)
    {
        for (var i = 0; i < source.Length; i++)
        {
            target[i] = source[i];
        }
    }

    /// <summary>Over-dispersed coefficient of variation sqrt(max(0, σ² − μ)) / μ of per-slot counts (population σ); the caller ensures a non-zero sum.</summary>
    private static double SlotCv(long[] slots)
    {
        double sum = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            sum += slots[i];
        }
        var mean = sum / slots.Length;
        double ss = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            var d = slots[i] - mean;
            ss += d * d;
        }
        // Over-dispersion only: a Poisson stream's per-slot counts have variance = mean, which is counting noise of
        // a low-rate stream, not oscillation of the service. CV_excess = sqrt(max(0, σ² − μ)) / μ.
        return Math.Sqrt(Math.Max(0, (ss / slots.Length) - mean)) / mean;
    }
}
