-- market_quotes and market_trades split like host_counters (issue 21, migration 2104): a LEAN tick day or a canonical
-- quotes CSV went through staging and INSERT OR IGNORE on (symbol, venue, ts_ns, seq) — an index probe per row, and
-- the two text columns analysed per row. Now each is a view over <table>_data (numbers, stream id, file id) and
-- <table>_streams (one row per symbol and venue); an ingested file's rows are appended under its file id and the
-- natural key is kept unique set-wise at the end of its transaction, where the extents (per symbol and venue) of
-- another file overlap its own. Rows already stored become file 0's.
CREATE SEQUENCE market_quote_stream_ids START 1;
CREATE TABLE market_quote_streams (stream INTEGER NOT NULL PRIMARY KEY, symbol VARCHAR NOT NULL, venue VARCHAR NOT NULL, UNIQUE (symbol, venue));
INSERT INTO market_quote_streams
SELECT nextval('market_quote_stream_ids'), symbol, venue FROM (SELECT DISTINCT symbol, venue FROM market_quotes ORDER BY ALL);
CREATE TABLE market_quote_data (
    ts_ns BIGINT NOT NULL, stream INTEGER NOT NULL, bid_px DOUBLE NOT NULL, bid_size BIGINT NOT NULL, ask_px DOUBLE NOT NULL,
    ask_size BIGINT NOT NULL, exchange_ts_ns BIGINT, seq INTEGER NOT NULL, file INTEGER NOT NULL);
INSERT INTO market_quote_data
SELECT q.ts_ns, s.stream, q.bid_px, q.bid_size, q.ask_px, q.ask_size, q.exchange_ts_ns, q.seq, 0
FROM market_quotes q JOIN market_quote_streams s USING (symbol, venue) ORDER BY s.stream, q.ts_ns, q.seq;
INSERT INTO ingest_extents SELECT 'market_quotes', 0, symbol, venue, min(ts_ns), max(ts_ns) FROM market_quotes GROUP BY symbol, venue;
DROP TABLE market_quotes;
CREATE VIEW market_quotes AS
SELECT d.ts_ns, s.symbol, s.venue, d.bid_px, d.bid_size, d.ask_px, d.ask_size, d.exchange_ts_ns, d.seq
FROM market_quote_data d JOIN market_quote_streams s ON d.stream = s.stream;

CREATE SEQUENCE market_trade_stream_ids START 1;
CREATE TABLE market_trade_streams (stream INTEGER NOT NULL PRIMARY KEY, symbol VARCHAR NOT NULL, venue VARCHAR NOT NULL, UNIQUE (symbol, venue));
INSERT INTO market_trade_streams
SELECT nextval('market_trade_stream_ids'), symbol, venue FROM (SELECT DISTINCT symbol, venue FROM market_trades ORDER BY ALL);
CREATE TABLE market_trade_data (
    ts_ns BIGINT NOT NULL, stream INTEGER NOT NULL, px DOUBLE NOT NULL, size BIGINT NOT NULL, condition VARCHAR,
    exchange_ts_ns BIGINT, seq INTEGER NOT NULL, file INTEGER NOT NULL);
INSERT INTO market_trade_data
SELECT t.ts_ns, s.stream, t.px, t.size, t.condition, t.exchange_ts_ns, t.seq, 0
FROM market_trades t JOIN market_trade_streams s USING (symbol, venue) ORDER BY s.stream, t.ts_ns, t.seq;
INSERT INTO ingest_extents SELECT 'market_trades', 0, symbol, venue, min(ts_ns), max(ts_ns) FROM market_trades GROUP BY symbol, venue;
DROP TABLE market_trades;
CREATE VIEW market_trades AS
SELECT d.ts_ns, s.symbol, s.venue, d.px, d.size, d.condition, d.exchange_ts_ns, d.seq
FROM market_trade_data d JOIN market_trade_streams s ON d.stream = s.stream;
