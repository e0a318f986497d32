-- Canonical tables of DESIGN §3. Every table with a natural key has it as PRIMARY KEY so that
-- INSERT OR IGNORE makes re-loading the same rows a no-op.
CREATE TABLE hosts (
    host VARCHAR NOT NULL, pool VARCHAR NOT NULL, device VARCHAR NOT NULL, nic_model VARCHAR NOT NULL,
    driver VARCHAR NOT NULL, driver_version VARCHAR NOT NULL, kernel VARCHAR NOT NULL, iommu_mode VARCHAR NOT NULL,
    numa_node INTEGER NOT NULL, cpu_numa_node INTEGER NOT NULL, fingerprint VARCHAR NOT NULL, valid_from_ns BIGINT NOT NULL,
    security_review VARCHAR,
    PRIMARY KEY (host, device, valid_from_ns));

CREATE TABLE host_events (
    ts_ns BIGINT NOT NULL, host VARCHAR NOT NULL, device VARCHAR NOT NULL, queue INTEGER NOT NULL, cpu INTEGER NOT NULL,
    kind VARCHAR NOT NULL, size BIGINT NOT NULL, value BIGINT NOT NULL, aux BIGINT NOT NULL,
    source VARCHAR NOT NULL, source_offset BIGINT NOT NULL,
    PRIMARY KEY (host, source, source_offset, kind));

CREATE TABLE host_frames (
    host VARCHAR NOT NULL, device VARCHAR NOT NULL, queue INTEGER NOT NULL, window_start_ns BIGINT NOT NULL, window_ns BIGINT NOT NULL,
    flush_rate DOUBLE NOT NULL, flush_burst_q50 DOUBLE NOT NULL, flush_burst_q95 DOUBLE NOT NULL, flush_burst_q99 DOUBLE NOT NULL,
    map_rate DOUBLE NOT NULL, unmap_rate DOUBLE NOT NULL, iotlb_miss_ratio DOUBLE,
    inv_latency_q50_ns DOUBLE, inv_latency_q99_ns DOUBLE, dma_latency_q50_ns DOUBLE, dma_latency_q99_ns DOUBLE,
    ring_oscillation DOUBLE, napi_poll_variance_us2 DOUBLE, napi_saturation_share DOUBLE, numa_local_share DOUBLE,
    rx_cadence_cv DOUBLE, tx_cadence_cv DOUBLE, events BIGINT NOT NULL,
    PRIMARY KEY (host, device, queue, window_start_ns, window_ns));

CREATE TABLE host_counters (
    ts_ns BIGINT NOT NULL, host VARCHAR NOT NULL, source VARCHAR NOT NULL, device VARCHAR NOT NULL, name VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    PRIMARY KEY (host, source, device, name, ts_ns));

CREATE TABLE market_quotes (
    ts_ns BIGINT NOT NULL, symbol VARCHAR NOT NULL, venue VARCHAR NOT NULL, bid_px DOUBLE NOT NULL, bid_size BIGINT NOT NULL,
    ask_px DOUBLE NOT NULL, ask_size BIGINT NOT NULL, exchange_ts_ns BIGINT, seq INTEGER NOT NULL,
    PRIMARY KEY (symbol, venue, ts_ns, seq));

CREATE TABLE market_trades (
    ts_ns BIGINT NOT NULL, symbol VARCHAR NOT NULL, venue VARCHAR NOT NULL, px DOUBLE NOT NULL, size BIGINT NOT NULL,
    condition VARCHAR, exchange_ts_ns BIGINT, seq INTEGER NOT NULL,
    PRIMARY KEY (symbol, venue, ts_ns, seq));

CREATE TABLE market_book_events (
    ts_ns BIGINT NOT NULL, symbol VARCHAR NOT NULL, venue VARCHAR NOT NULL, action VARCHAR NOT NULL, side VARCHAR NOT NULL,
    px DOUBLE NOT NULL, size BIGINT NOT NULL, order_id BIGINT NOT NULL, exchange_ts_ns BIGINT, seq INTEGER NOT NULL,
    PRIMARY KEY (symbol, venue, ts_ns, seq));

CREATE TABLE parent_orders (
    parent_id VARCHAR NOT NULL PRIMARY KEY, symbol VARCHAR NOT NULL, side INTEGER NOT NULL, qty BIGINT NOT NULL,
    arrival_ts_ns BIGINT NOT NULL, arrival_mid DOUBLE NOT NULL, deadline_ts_ns BIGINT NOT NULL, strategy VARCHAR NOT NULL,
    host VARCHAR NOT NULL, pool VARCHAR NOT NULL, urgency VARCHAR NOT NULL);

CREATE TABLE order_events (
    ts_ns BIGINT NOT NULL, parent_id VARCHAR NOT NULL, child_id VARCHAR NOT NULL, cl_ord_id VARCHAR NOT NULL,
    orig_cl_ord_id VARCHAR, kind VARCHAR NOT NULL, price DOUBLE NOT NULL, qty BIGINT NOT NULL, venue VARCHAR NOT NULL,
    host VARCHAR NOT NULL, queue INTEGER NOT NULL, liquidity VARCHAR NOT NULL, exec_id VARCHAR NOT NULL,
    PRIMARY KEY (cl_ord_id, kind, ts_ns, exec_id));

CREATE TABLE exec_frames (
    host VARCHAR NOT NULL, symbol VARCHAR NOT NULL, window_start_ns BIGINT NOT NULL, window_ns BIGINT NOT NULL,
    ingress_gap_variance_us2 DOUBLE, decision_to_send_p50_ns DOUBLE, decision_to_send_p95_ns DOUBLE,
    decision_to_send_p99_ns DOUBLE, cancel_ack_drift_ns DOUBLE, replace_ack_drift_ns DOUBLE, burst_index DOUBLE,
    phase_error_p95_ns DOUBLE, children BIGINT NOT NULL,
    PRIMARY KEY (host, symbol, window_start_ns, window_ns));

CREATE TABLE parent_outcomes (
    parent_id VARCHAR NOT NULL PRIMARY KEY, host VARCHAR NOT NULL, pool VARCHAR NOT NULL, symbol VARCHAR NOT NULL,
    executed_qty BIGINT NOT NULL, is_ccy DOUBLE NOT NULL, is_bps DOUBLE NOT NULL, c_delay_bps DOUBLE NOT NULL,
    c_impact_bps DOUBLE NOT NULL, c_miss_bps DOUBLE NOT NULL, c_iommu_bps DOUBLE, c_dma_jitter_bps DOUBLE,
    c_service_burst_bps DOUBLE, c_queue_decay_bps DOUBLE, baseline_is_bps DOUBLE, passive_fill_ratio DOUBLE,
    markout10ms_bps DOUBLE, markout100ms_bps DOUBLE, markout1s_bps DOUBLE, markout5s_bps DOUBLE,
    branch VARCHAR NOT NULL, pressure_bucket VARCHAR NOT NULL, liquidity_bucket VARCHAR NOT NULL, session_segment VARCHAR NOT NULL);

CREATE TABLE regime_transitions (
    host VARCHAR NOT NULL, ts_ns BIGINT NOT NULL, "from" VARCHAR NOT NULL, "to" VARCHAR NOT NULL, reason VARCHAR NOT NULL,
    PRIMARY KEY (host, ts_ns, "to"));

CREATE TABLE routes (
    ts_ns BIGINT NOT NULL, pool VARCHAR NOT NULL, state VARCHAR NOT NULL, reason VARCHAR NOT NULL, actor VARCHAR NOT NULL,
    PRIMARY KEY (pool, ts_ns));

CREATE TABLE models (
    model_id VARCHAR NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL, created_ns BIGINT NOT NULL, data_from_ns BIGINT NOT NULL,
    data_to_ns BIGINT NOT NULL, fingerprints VARCHAR NOT NULL, metrics_json VARCHAR NOT NULL, path VARCHAR NOT NULL);

CREATE TABLE ingest_files (
    content_hash VARCHAR NOT NULL PRIMARY KEY, path VARCHAR NOT NULL, format VARCHAR NOT NULL, host VARCHAR,
    records BIGINT NOT NULL, skipped BIGINT NOT NULL, quarantined BIGINT NOT NULL, ingested_ns BIGINT NOT NULL);

CREATE TABLE quarantine (
    file_hash VARCHAR NOT NULL, path VARCHAR NOT NULL, "offset" BIGINT NOT NULL, reason VARCHAR NOT NULL, raw VARCHAR NOT NULL,
    PRIMARY KEY (file_hash, "offset"));

CREATE TABLE truth_parent (
    parent_id VARCHAR NOT NULL PRIMARY KEY, host VARCHAR NOT NULL, pool VARCHAR NOT NULL, symbol VARCHAR NOT NULL,
    is_bps DOUBLE NOT NULL, calm_is_bps DOUBLE NOT NULL, delta_is_bps DOUBLE NOT NULL, delta_delay_bps DOUBLE NOT NULL,
    delta_impact_bps DOUBLE NOT NULL, delta_miss_bps DOUBLE NOT NULL, in_storm BOOLEAN NOT NULL);

CREATE TABLE truth_windows (
    host VARCHAR NOT NULL, queue INTEGER NOT NULL, window_start_ns BIGINT NOT NULL, pressure_state VARCHAR NOT NULL,
    PRIMARY KEY (host, queue, window_start_ns));
