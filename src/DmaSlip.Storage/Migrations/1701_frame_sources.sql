-- Issue 17: frames come from real-format inputs. Which inputs fed each frame (bitmask, Core FrameSources), and the
-- simulator's own frames kept apart for parity checks only (never read by metrics, controller or models).
CREATE TABLE host_frame_sources (
    host VARCHAR NOT NULL, device VARCHAR NOT NULL, queue INTEGER NOT NULL, window_start_ns BIGINT NOT NULL,
    window_ns BIGINT NOT NULL, sources INTEGER NOT NULL,
    PRIMARY KEY (host, device, queue, window_start_ns, window_ns));

CREATE TABLE truth_host_frames (
    host VARCHAR NOT NULL, device VARCHAR NOT NULL, queue INTEGER NOT NULL, window_start_ns BIGINT NOT NULL, window_ns BIGINT NOT NULL,
    flush_rate DOUBLE NOT NULL, flush_burst_q50 DOUBLE, flush_burst_q95 DOUBLE, flush_burst_q99 DOUBLE,
    map_rate DOUBLE NOT NULL, unmap_rate DOUBLE NOT NULL, iotlb_miss_ratio DOUBLE,
    inv_latency_q50_ns DOUBLE, inv_latency_q99_ns DOUBLE, dma_latency_q50_ns DOUBLE, dma_latency_q99_ns DOUBLE,
    ring_oscillation DOUBLE, napi_poll_variance_us2 DOUBLE, napi_saturation_share DOUBLE, numa_local_share DOUBLE,
    rx_cadence_cv DOUBLE, tx_cadence_cv DOUBLE, events BIGINT NOT NULL,
    PRIMARY KEY (host, device, queue, window_start_ns, window_ns));

-- Per-slot burst quantiles need per-event timing (a trace capture); counter-only frames leave them null.
ALTER TABLE host_frames ALTER COLUMN flush_burst_q50 DROP NOT NULL;
ALTER TABLE host_frames ALTER COLUMN flush_burst_q95 DROP NOT NULL;
ALTER TABLE host_frames ALTER COLUMN flush_burst_q99 DROP NOT NULL;
