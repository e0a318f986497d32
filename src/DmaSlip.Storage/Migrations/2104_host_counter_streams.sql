-- host_counters split like host_events (issue 21, migration 2103): its primary key (host, source, device, name, ts_ns)
-- made every bulk append a probe of a four-text-column key index per row, and its text columns cost DuckDB string
-- statistics and compression analysis per row. Now:
--   host_counter_streams: one row per distinct (host, source, device, name);
--   ingest_file_ids:      a small id per ingested file whose rows are stored by id (source = the first 12 hex digits of
--                         its ingest identity, as host_events' source); file 0 (source '') holds rows of unknown
--                         provenance (store inserts, Parquet and CSV imports, and the rows stored before this migration);
--   host_counter_data:    the numbers: ts_ns, stream id, value and file id, appended without a key check;
--   ingest_extents:       per table, file and extent key (here host and counter source): the first and last ts_ns stored.
-- host_counters is a view with the old columns, so every reader is unchanged. The natural key stays unique without an
-- index: a file's rows land in one transaction with its ingest_files row (the same content is never stored twice), and
-- before that transaction commits the rows whose key another file already holds are removed set-wise — looked for
-- only where the extents of the same table and extent key overlap (FileRowsWriter, AppendOnlyTable).
CREATE SEQUENCE host_counter_stream_ids START 1;
CREATE SEQUENCE ingest_file_id_seq START 1;
CREATE TABLE host_counter_streams (
    stream INTEGER NOT NULL PRIMARY KEY, host VARCHAR NOT NULL, source VARCHAR NOT NULL, device VARCHAR NOT NULL,
    name VARCHAR NOT NULL, UNIQUE (host, source, device, name));
CREATE TABLE ingest_file_ids (file INTEGER NOT NULL PRIMARY KEY, source VARCHAR NOT NULL UNIQUE);
INSERT INTO ingest_file_ids VALUES (0, '');
CREATE TABLE ingest_extents (
    tbl VARCHAR NOT NULL, file INTEGER NOT NULL, k1 VARCHAR NOT NULL, k2 VARCHAR NOT NULL, min_ts_ns BIGINT NOT NULL,
    max_ts_ns BIGINT NOT NULL, PRIMARY KEY (tbl, file, k1, k2));
INSERT INTO host_counter_streams
SELECT nextval('host_counter_stream_ids'), host, source, device, name
FROM (SELECT DISTINCT host, source, device, name FROM host_counters ORDER BY ALL);
CREATE TABLE host_counter_data (ts_ns BIGINT NOT NULL, stream INTEGER NOT NULL, value DOUBLE NOT NULL, file INTEGER NOT NULL);
INSERT INTO host_counter_data
SELECT c.ts_ns, s.stream, c.value, 0
FROM host_counters c JOIN host_counter_streams s USING (host, source, device, name)
ORDER BY s.stream, c.ts_ns;
INSERT INTO ingest_extents
SELECT 'host_counters', 0, host, source, min(ts_ns), max(ts_ns) FROM host_counters GROUP BY host, source;
DROP TABLE host_counters;
CREATE VIEW host_counters AS
SELECT d.ts_ns, s.host, s.source, s.device, s.name, d.value
FROM host_counter_data d JOIN host_counter_streams s ON d.stream = s.stream;
