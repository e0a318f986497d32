namespace DmaSlip.Storage;

/// <summary>
/// How <c>host_events</c> is stored (migration 2103): a view over <c>host_event_data</c> (the numbers of each event and
/// its stream id) joined with <c>host_event_streams</c> (one row per distinct host, device, kind and source). Readers
/// see the view; writers of whole rows go through these statements, the bulk path through <see cref="HostEventWriter"/>.
/// </summary>
internal static class HostEventStorage
{
    public const string View = "host_events";
    public const string Data = "host_event_data";
    public const string Streams = "host_event_streams";
    public const string StreamIds = "host_event_stream_ids";

    private const string StreamColumns = "host, device, kind, source";

    /// <summary>The streams of <paramref name="from"/> not yet in <c>host_event_streams</c>, each with a new id.</summary>
    private static string AddStreams(string from) =>
        $"INSERT INTO main.{Streams} SELECT nextval('{StreamIds}'), {StreamColumns} "
        + $"FROM (SELECT DISTINCT {StreamColumns} FROM {from} EXCEPT SELECT {StreamColumns} FROM main.{Streams} ORDER BY ALL)";

    private static string AddData(string from, string? where) =>
        $"INSERT INTO main.{Data} (ts_ns, stream, queue, cpu, size, value, aux, source_offset) "
        + $"SELECT s.ts_ns, st.stream, s.queue, s.cpu, s.size, s.value, s.aux, s.source_offset FROM {from} s "
        + $"JOIN main.{Streams} st ON st.host = s.host AND st.device = s.device AND st.kind = s.kind AND st.source = s.source"
        + (where is null ? "" : " WHERE " + where);

    /// <summary>Rows of <paramref name="from"/> whose key is absent (one of each key): see <see cref="TableSpec.InsertNew"/>.</summary>
    public static IReadOnlyList<string> InsertNew(string from, IReadOnlyList<string> key) =>
    [
        AddStreams(from),
        AddData($"(SELECT DISTINCT ON ({string.Join(", ", key)}) * FROM {from})",
            $"NOT EXISTS (SELECT 1 FROM main.{View} t WHERE {TableSpec.KeyMatch(key)})"),
    ];

    /// <summary>Every row of <paramref name="from"/>.</summary>
    public static IReadOnlyList<string> InsertAll(string from) => [AddStreams(from), AddData(from, null)];

    /// <summary>Removes the events whose source is <c>$s</c> (a parameter of the statements) and their streams.</summary>
    public static IReadOnlyList<string> DeleteSource { get; } =
    [
        $"DELETE FROM main.{Data} WHERE stream IN (SELECT stream FROM main.{Streams} WHERE source = $s)",
        $"DELETE FROM main.{Streams} WHERE source = $s",
    ];
}
