-- The byte length of each ingested file's content (issue 21). A file ingested while still being written and later
-- whole is recognised by it: an earlier ingest of the same path whose content (content_hash) is the first `bytes`
-- bytes of the file now is superseded, in the same transaction, by the ingest of the whole file.
CREATE TABLE ingest_file_bytes (content_hash VARCHAR NOT NULL PRIMARY KEY, bytes BIGINT NOT NULL);
