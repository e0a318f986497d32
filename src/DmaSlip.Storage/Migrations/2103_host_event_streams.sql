-- host_events split in two (issue 21): the four text columns of a row (host, device, kind, source) take one value per
-- (file, device, event kind) yet cost DuckDB most of a bulk append (string statistics, distinct-count hashing and
-- dictionary/FSST analysis per value: 2M rows with them 1.28 s of CPU to store, without them 0.24 s). They move to
-- host_event_streams, one row per distinct (host, device, kind, source); host_event_data holds the numbers and the
-- stream id. host_events is a view with the old columns, so every reader (features, frames, export, sql) is unchanged;
-- writers go through Storage (HostEventWriter, TableSpec.InsertNew).
CREATE SEQUENCE host_event_stream_ids START 1;
CREATE TABLE host_event_streams (
    stream INTEGER NOT NULL PRIMARY KEY, host VARCHAR NOT NULL, device VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL, UNIQUE (host, device, kind, source));
INSERT INTO host_event_streams
SELECT nextval('host_event_stream_ids'), host, device, kind, source
FROM (SELECT DISTINCT host, device, kind, source FROM host_events ORDER BY ALL);
CREATE TABLE host_event_data (
    ts_ns BIGINT NOT NULL, stream INTEGER NOT NULL, queue INTEGER NOT NULL, cpu INTEGER NOT NULL,
    size BIGINT NOT NULL, value BIGINT NOT NULL, aux BIGINT NOT NULL, source_offset BIGINT NOT NULL);
INSERT INTO host_event_data
SELECT e.ts_ns, s.stream, e.queue, e.cpu, e.size, e.value, e.aux, e.source_offset
FROM host_events e JOIN host_event_streams s USING (host, device, kind, source);
DROP TABLE host_events;
CREATE VIEW host_events AS
SELECT d.ts_ns, s.host, s.device, d.queue, d.cpu, s.kind, d.size, d.value, d.aux, s.source, d.source_offset
FROM host_event_data d JOIN host_event_streams s ON d.stream = s.stream;
