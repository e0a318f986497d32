-- Repair of databases migrated by the first text of migration 2104 (on main 2026-12-06 ~11:00-11:50 UTC): it kept the
-- counters' file ids in host_counter_files (sequence host_counter_file_ids) and their extents in host_counter_extents;
-- the final 2104 shares ingest_file_ids and ingest_extents with market data (2105). Runs once, before 2105, when
-- host_counter_files exists; file ids are renumbered from the new sequence (0 stays 0).
CREATE SEQUENCE ingest_file_id_seq START 1;
CREATE TABLE ingest_file_ids (file INTEGER NOT NULL PRIMARY KEY, source VARCHAR NOT NULL UNIQUE);
CREATE TEMP TABLE repair_2104_files AS
SELECT file AS old, CASE WHEN file = 0 THEN 0 ELSE nextval('ingest_file_id_seq') END AS new, source
FROM (SELECT file, source FROM host_counter_files ORDER BY file);
INSERT INTO ingest_file_ids SELECT new, source FROM repair_2104_files;
UPDATE host_counter_data SET file = m.new FROM repair_2104_files m WHERE host_counter_data.file = m.old;
CREATE TABLE ingest_extents (
    tbl VARCHAR NOT NULL, file INTEGER NOT NULL, k1 VARCHAR NOT NULL, k2 VARCHAR NOT NULL, min_ts_ns BIGINT NOT NULL,
    max_ts_ns BIGINT NOT NULL, PRIMARY KEY (tbl, file, k1, k2));
INSERT INTO ingest_extents
SELECT 'host_counters', m.new, e.host, e.source, e.min_ts_ns, e.max_ts_ns FROM host_counter_extents e JOIN repair_2104_files m ON m.old = e.file;
DROP TABLE repair_2104_files;
DROP TABLE host_counter_extents;
DROP TABLE host_counter_files;
DROP SEQUENCE host_counter_file_ids;
