-- host_events becomes append-only (issue 21): no primary key, so a bulk append is not a probe of a key index per
-- row. Duplicates are prevented a level up instead: a trace file's rows carry source = format + content-hash prefix
-- and source_offset = the line's byte offset, and a file is ingested in one transaction together with its
-- ingest_files row (content_hash is that table's primary key), so the same content cannot land twice. Rows that come
-- with their own source (canonical CSV, Parquet) are checked set-wise against (host, source, source_offset, kind)
-- per batch (BulkWriter, ImportParquetFile).
CREATE TABLE host_events_2101 (
    ts_ns BIGINT NOT NULL, host VARCHAR NOT NULL, device VARCHAR NOT NULL, queue INTEGER NOT NULL, cpu INTEGER NOT NULL,
    kind VARCHAR NOT NULL, size BIGINT NOT NULL, value BIGINT NOT NULL, aux BIGINT NOT NULL,
    source VARCHAR NOT NULL, source_offset BIGINT NOT NULL);
INSERT INTO host_events_2101 SELECT ts_ns, host, device, queue, cpu, kind, size, value, aux, source, source_offset FROM host_events;
DROP TABLE host_events;
ALTER TABLE host_events_2101 RENAME TO host_events;
