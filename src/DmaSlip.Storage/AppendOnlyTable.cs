using DuckDB.NET.Native;

namespace DmaSlip.Storage;

/// <summary>
/// A canonical table stored append-only by file (migrations 2104, 2105): <c>host_counters</c>, <c>market_quotes</c>,
/// <c>market_trades</c>. The table is a view over <c>&lt;Data&gt;</c> (the row's numbers, its stream id and the id of the
/// file it came from) joined with <c>&lt;Streams&gt;</c> (one row per distinct value of the text key columns). Each file's
/// first and last timestamp per extent key (the first two stream columns) is kept in <c>ingest_extents</c>, so that the
/// natural key (stream columns + <see cref="KeyColumns"/>) is checked only where two files' rows can collide. Ingested
/// files' rows go through <see cref="FileRowsWriter"/>; rows of unknown provenance (store inserts, Parquet and CSV
/// imports) through <see cref="InsertNew"/>, under file 0.
/// </summary>
/// <param name="DataColumns">Columns of <c>Data</c> after <c>ts_ns</c> and <c>stream</c> and before <c>file</c>, as the view names them.</param>
/// <param name="DataTypes">The appender types of every <c>Data</c> column, in order (ts_ns, stream, DataColumns..., file).</param>
internal sealed record AppendOnlyTable(string View, string Data, string Streams, string StreamIds, IReadOnlyList<string> StreamColumns,
    IReadOnlyList<string> KeyColumns, IReadOnlyList<string> DataColumns, IReadOnlyList<DuckDBType> DataTypes)
{
    public const string FileIds = "ingest_file_ids";
    public const string FileIdSeq = "ingest_file_id_seq";
    public const string Extents = "ingest_extents";

    /// <summary>The file id of rows of unknown provenance.</summary>
    public const int UnknownFile = 0;

    public static readonly AppendOnlyTable HostCounters = new("host_counters", "host_counter_data", "host_counter_streams", "host_counter_stream_ids",
        ["host", "source", "device", "name"], ["ts_ns"], ["value"], [DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Double, DuckDBType.Integer]);

    public static readonly AppendOnlyTable MarketQuotes = new("market_quotes", "market_quote_data", "market_quote_streams", "market_quote_stream_ids",
        ["symbol", "venue"], ["ts_ns", "seq"], ["bid_px", "bid_size", "ask_px", "ask_size", "exchange_ts_ns", "seq"],
        [DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Double, DuckDBType.BigInt, DuckDBType.Double, DuckDBType.BigInt, DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Integer]);

    public static readonly AppendOnlyTable MarketTrades = new("market_trades", "market_trade_data", "market_trade_streams", "market_trade_stream_ids",
        ["symbol", "venue"], ["ts_ns", "seq"], ["px", "size", "condition", "exchange_ts_ns", "seq"],
        [DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Double, DuckDBType.BigInt, DuckDBType.Varchar, DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Integer]);

    public static IReadOnlyList<AppendOnlyTable> All { get; } = [HostCounters, MarketQuotes, MarketTrades];

    public static AppendOnlyTable? ByView(string view) => All.FirstOrDefault(t => t.View == view);

    private string StreamList => string.Join(", ", StreamColumns);

    /// <summary>The natural key: the stream columns and <see cref="KeyColumns"/>.</summary>
    public IReadOnlyList<string> Key => [.. StreamColumns, .. KeyColumns];

    /// <summary>The streams of <paramref name="from"/> not yet in the stream table, each with a new id.</summary>
    private string AddStreams(string from) =>
        $"INSERT INTO main.{Streams} SELECT nextval('{StreamIds}'), {StreamList} "
        + $"FROM (SELECT DISTINCT {StreamList} FROM {from} EXCEPT SELECT {StreamList} FROM main.{Streams} ORDER BY ALL)";

    /// <summary>Widens file 0's extents by the rows of <paramref name="from"/>.</summary>
    private string WidenUnknownExtents(string from) =>
        $"INSERT INTO main.{Extents} SELECT '{View}', {UnknownFile}, {StreamColumns[0]}, {StreamColumns[1]}, min(ts_ns), max(ts_ns) FROM {from} "
        + $"GROUP BY {StreamColumns[0]}, {StreamColumns[1]} ON CONFLICT (tbl, file, k1, k2) DO UPDATE SET "
        + "min_ts_ns = least(min_ts_ns, excluded.min_ts_ns), max_ts_ns = greatest(max_ts_ns, excluded.max_ts_ns)";

    private string AddData(string from, string? where) =>
        $"INSERT INTO main.{Data} (ts_ns, stream, {string.Join(", ", DataColumns.Distinct())}, file) "
        + $"SELECT s.ts_ns, st.stream, {string.Join(", ", DataColumns.Distinct().Select(c => "s." + c))}, {UnknownFile} FROM {from} s "
        + $"JOIN main.{Streams} st ON {string.Join(" AND ", StreamColumns.Select(c => $"st.{c} = s.{c}"))}"
        + (where is null ? "" : " WHERE " + where);

    /// <summary>Rows of <paramref name="from"/> whose key is absent (one of each key), under file 0: see <see cref="TableSpec.InsertNew"/>.</summary>
    public IReadOnlyList<string> InsertNew(string from) =>
    [
        AddStreams(from),
        WidenUnknownExtents(from),
        AddData($"(SELECT DISTINCT ON ({string.Join(", ", Key)}) * FROM {from})", $"NOT EXISTS (SELECT 1 FROM main.{View} t WHERE {TableSpec.KeyMatch(Key)})"),
    ];

    /// <summary>Every row of <paramref name="from"/>, under file 0.</summary>
    public IReadOnlyList<string> InsertAll(string from) => [AddStreams(from), WidenUnknownExtents(from), AddData(from, null)];

    /// <summary>Removes the rows of the file whose source is <c>$s</c> (a parameter) from every append-only table, its extents and its id.</summary>
    public static IReadOnlyList<string> DeleteSource { get; } =
    [
        .. All.Select(t => $"DELETE FROM main.{t.Data} WHERE file IN (SELECT file FROM main.{FileIds} WHERE source = $s)"),
        $"DELETE FROM main.{Extents} WHERE file IN (SELECT file FROM main.{FileIds} WHERE source = $s)",
        $"DELETE FROM main.{FileIds} WHERE source = $s",
    ];

    /// <summary>Gives the file whose source is <c>$olds</c> the source <c>$news</c>.</summary>
    public const string RenameSource = $"UPDATE main.{FileIds} SET source = $news WHERE source = $olds";
}
