namespace DmaSlip.Storage;

/// <summary>
/// How <c>host_counters</c> is stored (migration 2104): a view over <c>host_counter_data</c> (ts, stream id, value and
/// the id of the file the row came from) joined with <c>host_counter_streams</c> (one row per host, source, device and
/// name). An ingested file's rows are appended by <see cref="HostCounterWriter"/> under the file's own id; rows of
/// unknown provenance (store inserts, Parquet and CSV imports) go through these statements under file 0, checked
/// set-wise against the natural key. Each file's first and last timestamp per host and counter source are kept in
/// <c>host_counter_extents</c>, so that the key check of a new file looks only where another file's rows can collide.
/// </summary>
internal static class HostCounterStorage
{
    public const string View = "host_counters";
    public const string Data = "host_counter_data";
    public const string Streams = "host_counter_streams";
    public const string StreamIds = "host_counter_stream_ids";
    public const string Files = "host_counter_files";
    public const string FileIds = "host_counter_file_ids";
    public const string Extents = "host_counter_extents";

    /// <summary>The file id of rows of unknown provenance.</summary>
    public const int UnknownFile = 0;

    private const string StreamColumns = "host, source, device, name";

    /// <summary>The streams of <paramref name="from"/> not yet in <c>host_counter_streams</c>, each with a new id.</summary>
    private static string AddStreams(string from) =>
        $"INSERT INTO main.{Streams} SELECT nextval('{StreamIds}'), {StreamColumns} "
        + $"FROM (SELECT DISTINCT {StreamColumns} FROM {from} EXCEPT SELECT {StreamColumns} FROM main.{Streams} ORDER BY ALL)";

    /// <summary>Widens file 0's extents by the rows of <paramref name="from"/>.</summary>
    private static string WidenUnknownExtents(string from) =>
        $"INSERT INTO main.{Extents} SELECT {UnknownFile}, host, source, min(ts_ns), max(ts_ns) FROM {from} GROUP BY host, source "
        + "ON CONFLICT (file, host, source) DO UPDATE SET min_ts_ns = least(min_ts_ns, excluded.min_ts_ns), max_ts_ns = greatest(max_ts_ns, excluded.max_ts_ns)";

    private static string AddData(string from, string? where) =>
        $"INSERT INTO main.{Data} (ts_ns, stream, value, file) SELECT s.ts_ns, st.stream, s.value, {UnknownFile} FROM {from} s "
        + $"JOIN main.{Streams} st ON st.host = s.host AND st.source = s.source AND st.device = s.device AND st.name = s.name"
        + (where is null ? "" : " WHERE " + where);

    /// <summary>Rows of <paramref name="from"/> whose key is absent (one of each key), under file 0: see <see cref="TableSpec.InsertNew"/>.</summary>
    public static IReadOnlyList<string> InsertNew(string from, IReadOnlyList<string> key) =>
    [
        AddStreams(from),
        WidenUnknownExtents(from),
        AddData($"(SELECT DISTINCT ON ({string.Join(", ", key)}) * FROM {from})",
            $"NOT EXISTS (SELECT 1 FROM main.{View} t WHERE {TableSpec.KeyMatch(key)})"),
    ];

    /// <summary>Every row of <paramref name="from"/>, under file 0.</summary>
    public static IReadOnlyList<string> InsertAll(string from) => [AddStreams(from), WidenUnknownExtents(from), AddData(from, null)];

    /// <summary>Removes the counters of the file whose source is <c>$s</c> (a parameter of the statements), its extents and its id.</summary>
    public static IReadOnlyList<string> DeleteSource { get; } =
    [
        $"DELETE FROM main.{Data} WHERE file IN (SELECT file FROM main.{Files} WHERE source = $s)",
        $"DELETE FROM main.{Extents} WHERE file IN (SELECT file FROM main.{Files} WHERE source = $s)",
        $"DELETE FROM main.{Files} WHERE source = $s",
    ];

    /// <summary>Gives the file whose source is <c>$olds</c> the source <c>$news</c>.</summary>
    public const string RenameSource = $"UPDATE main.{Files} SET source = $news WHERE source = $olds";
}
