using System.Diagnostics.Metrics;
using DmaSlip.Fleet.Wire;

namespace DmaSlip.Service;

/// <summary>
/// The service's instruments (System.Diagnostics.Metrics; exported on <c>/metrics</c> by the OpenTelemetry Prometheus
/// exporter, see docs/FLEET.md for why that exporter). Names become Prometheus names by replacing '.' with '_' and
/// adding unit/<c>_total</c> suffixes: <c>dmaslip_host_regime</c>, <c>dmaslip_host_dfi</c>, <c>dmaslip_frames_stored_total</c>,
/// <c>dmaslip_storm_entries_total</c>, <c>dmaslip_consumer_lag</c>, <c>dmaslip_publish_to_store_seconds</c> …
/// </summary>
internal sealed class FleetMetrics : IDisposable
{
    public const string MeterName = "DmaSlip.Service";
    private readonly Meter _meter;
    private readonly Counter<long> _batches;
    private readonly Histogram<double> _latency;
    private readonly TimeProvider _time;

    public FleetMetrics(FleetState state, StoreSink sink, Func<IReadOnlyDictionary<string, long>> lag, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sink);
        _time = time;
        _meter = new Meter(MeterName);
        _meter.CreateObservableGauge("dmaslip.host.regime", () => PerHost(state, h => (double)(int)h.Regime),
            description: "Regime of the host's controller: 0 MAP_STABLE, 1 PRESSURE_WATCH, 2 FLUSH_STORM, 3 SAFE_DMA_CONTAIN");
        _meter.CreateObservableGauge("dmaslip.host.dfi", () => PerHost(state, h => h.Signals.Dfi.OrNaN),
            description: "DMA Flush Intensity of the host's latest window (0-100); NaN while warming up or without a flush source");
        _meter.CreateObservableGauge("dmaslip.host.djs", () => PerHost(state, h => h.Signals.Djs.OrNaN),
            description: "DMA Jitter Spread (q99-q50)/q50 of DMA completion time, latest window; NaN without a DMA latency source");
        _meter.CreateObservableGauge("dmaslip.host.pso", () => PerHost(state, h => h.Signals.Pso.OrNaN),
            description: "Packet Service Oscillation (larger CV of RX/TX cadence), latest window; NaN without an RX/TX cadence source");
        _meter.CreateObservableGauge("dmaslip.host.last_seen", () => PerHost(state, h => h.LastSeenNs / 1e9), unit: "s",
            description: "Unix time the service last committed a message of the host");
        _meter.CreateObservableCounter("dmaslip.frames.stored", () => sink.FramesAdded,
            description: "Frame rows newly committed to host_frames");
        _meter.CreateObservableCounter("dmaslip.frames.duplicates_ignored", () => sink.FramesIgnored,
            description: "Frame rows received again (redelivery/replay) and ignored by the natural key");
        _meter.CreateObservableCounter("dmaslip.regime.transitions.stored", () => sink.TransitionsAdded,
            description: "Regime transitions newly committed to regime_transitions");
        _meter.CreateObservableCounter("dmaslip.storm.entries", () => StormEntries(state),
            description: "FLUSH_STORM entries (PRESSURE_WATCH to FLUSH_STORM) committed per pool since the service started");
        _meter.CreateObservableGauge("dmaslip.consumer.lag", () => Lag(lag()), unit: "{message}",
            description: "Messages of a durable consumer not yet acknowledged (pending + ack pending)");
        _batches = _meter.CreateCounter<long>("dmaslip.frame_batches.committed", description: "Frame batch messages committed and acknowledged");
        _latency = _meter.CreateHistogram<double>("dmaslip.publish_to_store", unit: "s",
            description: "Agent enqueue to store commit, per frame batch (same-clock hosts only)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30] });
    }

    public void Committed(IReadOnlyList<FrameBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var now = Fleet.UnixTime.Nanoseconds(_time);
        foreach (var b in batches)
        {
            _latency.Record(Math.Max(0, now - b.SentNs) / 1e9);
        }
        _batches.Add(batches.Count);
    }

    // A signal the agent could not compute (warming up, no source) is NaN, Prometheus' "no value": a 0 would look
    // measured, and an absent series would hide the host from the dashboard's panels.
    private static IEnumerable<Measurement<double>> PerHost(FleetState state, Func<HostState, double> value)
    {
        foreach (var h in state.Hosts())
        {
            yield return new Measurement<double>(value(h), new KeyValuePair<string, object?>("host", h.Host), new KeyValuePair<string, object?>("pool", h.Pool));
        }
    }

    /// <summary>Every pool with a host, 0 until its first storm, so <c>increase()</c> sees the first one.</summary>
    private static IEnumerable<Measurement<long>> StormEntries(FleetState state)
    {
        foreach (var pool in state.Hosts().Select(h => h.Pool).Distinct(StringComparer.Ordinal))
        {
            yield return new Measurement<long>(state.StormEntries(pool), new KeyValuePair<string, object?>("pool", pool));
        }
    }

    private static IEnumerable<Measurement<long>> Lag(IReadOnlyDictionary<string, long> lag)
    {
        foreach (var (consumer, value) in lag)
        {
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>("consumer", consumer));
        }
    }

    public void Dispose() => _meter.Dispose();
}
