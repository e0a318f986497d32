namespace DmaSlip.Models.Features;

/// <summary>One overlay feature: its name (stable, stored in model metadata) and its C_iommu family.</summary>
public readonly record struct OverlayFeature(string Name, FeatureFamily Family);

/// <summary>
/// The overlay's feature vector per parent, in order. Host-frame features aggregate the parent's host over its
/// life (all devices and queues); exec-frame features aggregate (host, symbol) windows over the same span; the
/// <c>_rel</c> features are the parent's value minus the median of other hosts' parents at the same time, so a
/// venue- or network-wide latency shock (every host sees it) cancels out and only host-local decay remains.
/// </summary>
public static class OverlayFeatureSchema
{
    public static readonly IReadOnlyList<OverlayFeature> Features =
    [
        // DMA jitter: translation-path pressure and the latency it causes.
        new("flush_rate_mean", FeatureFamily.DmaJitter),
        new("flush_rate_max", FeatureFamily.DmaJitter),
        new("flush_burst_q95_max", FeatureFamily.DmaJitter),
        new("flush_burst_q99_max", FeatureFamily.DmaJitter),
        new("map_rate_mean", FeatureFamily.DmaJitter),
        new("unmap_rate_mean", FeatureFamily.DmaJitter),
        new("iotlb_miss_ratio_mean", FeatureFamily.DmaJitter),
        new("inv_latency_q50_mean", FeatureFamily.DmaJitter),
        new("inv_latency_q99_mean", FeatureFamily.DmaJitter),
        new("inv_latency_q99_max", FeatureFamily.DmaJitter),
        new("dma_latency_q50_mean", FeatureFamily.DmaJitter),
        new("dma_latency_q99_mean", FeatureFamily.DmaJitter),
        new("dma_latency_q99_max", FeatureFamily.DmaJitter),
        new("djs_mean", FeatureFamily.DmaJitter),
        new("djs_max", FeatureFamily.DmaJitter),
        new("numa_local_share_mean", FeatureFamily.DmaJitter),
        new("d2s_p50_mean", FeatureFamily.DmaJitter),
        new("d2s_p99_mean", FeatureFamily.DmaJitter),
        new("d2s_p99_max", FeatureFamily.DmaJitter),
        // Service burst: packet service and dispatch cadence.
        new("ring_oscillation_mean", FeatureFamily.ServiceBurst),
        new("ring_oscillation_max", FeatureFamily.ServiceBurst),
        new("napi_poll_variance_mean", FeatureFamily.ServiceBurst),
        new("napi_poll_variance_max", FeatureFamily.ServiceBurst),
        new("napi_saturation_mean", FeatureFamily.ServiceBurst),
        new("pso_mean", FeatureFamily.ServiceBurst),
        new("pso_max", FeatureFamily.ServiceBurst),
        new("ingress_gap_variance_mean", FeatureFamily.ServiceBurst),
        new("burst_index_mean", FeatureFamily.ServiceBurst),
        new("burst_index_max", FeatureFamily.ServiceBurst),
        new("phase_error_p95_mean", FeatureFamily.ServiceBurst),
        new("phase_error_p95_max", FeatureFamily.ServiceBurst),
        new("rx_drop_share", FeatureFamily.ServiceBurst),
        // Queue decay: ack drift, queue-position loss through late joins, passive fill loss (host-relative).
        new("cancel_ack_drift_rel", FeatureFamily.QueueDecay),
        new("replace_ack_drift_rel", FeatureFamily.QueueDecay),
        new("ack_latency_rel", FeatureFamily.QueueDecay),
        new("passive_fill_rel", FeatureFamily.QueueDecay),
        // Market state: conditions the overlay; never counted as IOMMU cost.
        new("half_spread_bps", FeatureFamily.Market),
        new("sigma_daily_bps", FeatureFamily.Market),
        new("log_participation", FeatureFamily.Market),
        new("log_queue_ahead", FeatureFamily.Market),
        new("horizon_log_s", FeatureFamily.Market),
        // Realized daily-equivalent volatility of the mid over the scheduled horizon [arrival, deadline]: exogenous
        // (the schedule, not the fills); scales the residual's spread and what a stale book costs, day to day.
        new("sigma_life_bps", FeatureFamily.Market),
        // The parent's execution algorithm, as its index in the model's strategies (SlippageModel.Strategies; NaN for
        // one the fit never saw). A delay costs a TWAP parent (which keeps its schedule to the deadline) about twice
        // what it costs a POV parent (which finishes early); without it the trees spread one storm effect over both.
        new(StrategyFeature, FeatureFamily.Market),
    ];

    /// <summary>The column <see cref="Pipeline.SlippageModel"/> fills with the parent's strategy code.</summary>
    public const string StrategyFeature = "strategy_code";

    public static int Count => Features.Count;

    public static int IndexOf(string name)
    {
        for (var i = 0; i < Features.Count; i++)
        {
            if (string.Equals(Features[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new ArgumentException($"no overlay feature named {name}", nameof(name));
    }

    /// <summary>The features whose raw per-parent value is made host-relative (see <see cref="CrossHostRelativizer"/>).</summary>
    public static readonly IReadOnlyList<string> HostRelative = ["cancel_ack_drift_rel", "replace_ack_drift_rel", "ack_latency_rel", "passive_fill_rel"];
}
