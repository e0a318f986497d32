using System.Globalization;
using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

/// <summary>
/// The bulk path of an <see cref="AppendOnlyTable"/> (host counters, quotes, trades): an ingested file's rows are
/// appended column-wise, a data chunk at a time, into the table's data under the file's id, with no key check per row;
/// each row's text key columns become a stream id (a stream row when first seen). The natural key stays unique
/// set-wise at <see cref="Complete"/>, inside the caller's transaction: the file's extents (first and last ts per
/// extent key) are recorded; keys the same file repeats keep their first row (looked for only when a stream's
/// (ts, tie-break) did not rise); and rows whose key another file already holds are removed (looked for only where that
/// file's extents overlap) — so the store ends as an <c>INSERT OR IGNORE</c> of the files in order would leave it.
/// A row is begun with <see cref="Begin"/>, its remaining columns written to <see cref="Appender"/>, and ended there.
/// Joins the open transaction; an abandoned writer adds nothing more. Not thread-safe.
/// </summary>
internal sealed class FileRowsWriter : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly AppendOnlyTable _table;
    private readonly int _fileColumn;
    private readonly Dictionary<(string, string, string, string), int> _streamIds = [];
    private readonly HashSet<(string, string)> _streamsLoaded = [];
    private readonly List<(int Id, string K0, string K1, string K2, string K3)> _newStreams = [];
    private readonly Queue<int> _reservedIds = new();
    private int _reserve = 16;
    private readonly List<FileState> _files = [];
    private readonly Dictionary<string, FileState> _fileBySource = new(StringComparer.Ordinal);
    private FileState? _file;
    private Extent? _extent;

    public FileRowsWriter(DuckDBConnection connection, AppendOnlyTable table, bool singleThreaded = true)
    {
        _connection = connection;
        _table = table;
        _fileColumn = table.DataTypes.Count - 1;
        Appender = new ChunkAppender(connection, table.Data, table.DataTypes, singleThreaded);
    }

    public ChunkAppender Appender { get; }

    /// <summary>
    /// Begins a row of the file whose source is <paramref name="fileSource"/> (the first 12 hex digits of its identity):
    /// writes its ts, stream and file columns. <paramref name="k0"/>, <paramref name="k1"/> are the extent key (the first
    /// two stream columns), <paramref name="k2"/>, <paramref name="k3"/> the rest (empty when the table has none);
    /// <paramref name="tieBreak"/> the key column after ts (seq), or 0.
    /// </summary>
    public void Begin(string fileSource, string k0, string k1, string k2, string k3, long ts, long tieBreak)
    {
        var file = FileOf(fileSource);
        var extent = ExtentOf(file, k0, k1);
        var stream = extent.StreamOf(k2, k3, this);
        if (ts < stream.LastTs || (ts == stream.LastTs && tieBreak <= stream.LastTieBreak))
        {
            file.Unordered = true;
        }
        stream.LastTs = ts;
        stream.LastTieBreak = tieBreak;
        extent.Min = Math.Min(extent.Min, ts);
        extent.Max = Math.Max(extent.Max, ts);
        file.Rows++;
        Appender.Int64(0, ts);
        Appender.Int32(1, stream.Id);
        Appender.Int32(_fileColumn, file.Id);
    }

    /// <summary>
    /// Hands the last rows to DuckDB, records each file's extents and removes the rows whose natural key is already
    /// stored (by another file, or earlier in the same file). Returns the rows kept.
    /// </summary>
    public long Complete()
    {
        Appender.Complete();
        InsertNewStreams();
        var data = $"main.{_table.Data}";
        var sameKey = string.Join(" AND ", _table.KeyColumns.Prepend("stream").Select(c => $"o.{c} = d.{c}"));
        long kept = 0;
        for (var i = 0; i < _files.Count; i++)
        {
            var file = _files[i];
            foreach (var e in file.Extents.Values)
            {
                Execute($"INSERT INTO main.{AppendOnlyTable.Extents} VALUES ('{_table.View}', {file.Id}, $a, $b, {e.Min}, {e.Max}) "
                    + "ON CONFLICT (tbl, file, k1, k2) DO UPDATE SET min_ts_ns = least(min_ts_ns, excluded.min_ts_ns), max_ts_ns = greatest(max_ts_ns, excluded.max_ts_ns)",
                    ("a", e.K0), ("b", e.K1));
            }
            var removed = 0L;
            if (file.Unordered)
            {
                removed += Execute($"DELETE FROM {data} WHERE file = {file.Id} AND rowid IN (SELECT rowid FROM (SELECT rowid, row_number() OVER "
                    + $"(PARTITION BY stream, {string.Join(", ", _table.KeyColumns)} ORDER BY rowid) AS n FROM {data} WHERE file = {file.Id}) WHERE n > 1)");
            }
            var later = string.Join(", ", _files.Skip(i).Select(f => f.Id.ToString(CultureInfo.InvariantCulture)));
            var colliding = Ids($"SELECT DISTINCT o.file FROM main.{AppendOnlyTable.Extents} n JOIN main.{AppendOnlyTable.Extents} o "
                + "ON o.tbl = n.tbl AND o.k1 = n.k1 AND o.k2 = n.k2 AND o.max_ts_ns >= n.min_ts_ns AND o.min_ts_ns <= n.max_ts_ns "
                + $"WHERE n.tbl = '{_table.View}' AND n.file = {file.Id} AND o.file NOT IN ({later}) ORDER BY o.file");
            if (colliding.Count > 0)
            {
                removed += Execute($"DELETE FROM {data} d WHERE d.file = {file.Id} AND EXISTS (SELECT 1 FROM {data} o "
                    + $"WHERE o.file IN ({string.Join(", ", colliding)}) AND {sameKey})");
            }
            kept += file.Rows - removed;
        }
        return kept;
    }

    public void Dispose() => Appender.Dispose();

    private FileState FileOf(string source)
    {
        if (_file is not null && ReferenceEquals(source, _file.Source))
        {
            return _file;
        }
        if (!_fileBySource.TryGetValue(source, out var file))
        {
            // a new source (the common case) is one statement
            var added = Ids($"INSERT INTO main.{AppendOnlyTable.FileIds} SELECT nextval('{AppendOnlyTable.FileIdSeq}'), $s "
                + $"WHERE NOT EXISTS (SELECT 1 FROM main.{AppendOnlyTable.FileIds} WHERE source = $s) RETURNING file", ("s", source));
            var id = added.Count > 0 ? added[0] : Ids($"SELECT file FROM main.{AppendOnlyTable.FileIds} WHERE source = $s", ("s", source))[0];
            file = new FileState(id, source);
            _fileBySource[source] = file;
            _files.Add(file);
        }
        _file = file;
        _extent = null;
        return file;
    }

    private Extent ExtentOf(FileState file, string k0, string k1)
    {
        if (_extent is not null && ReferenceEquals(k0, _extent.K0) && ReferenceEquals(k1, _extent.K1))
        {
            return _extent;
        }
        if (!file.Extents.TryGetValue((k0, k1), out var extent))
        {
            extent = new Extent(k0, k1);
            file.Extents[(k0, k1)] = extent;
        }
        _extent = extent;
        return extent;
    }

    /// <summary>
    /// The id of a stream: known streams of an extent key are read in one query when the key is first seen; a new
    /// stream takes an id reserved from the table's sequence (a few at a time) and is stored at <see cref="Complete"/>.
    /// </summary>
    private int StreamId(string k0, string k1, string k2, string k3)
    {
        if (_streamsLoaded.Add((k0, k1)))
        {
            LoadStreams(k0, k1);
        }
        if (_streamIds.TryGetValue((k0, k1, k2, k3), out var id))
        {
            return id;
        }
        if (_reservedIds.Count == 0)
        {
            // growing blocks: a file with a handful of new streams costs one query, one with thousands a few
            foreach (var reserved in Ids($"SELECT nextval('{_table.StreamIds}') FROM range({_reserve})"))
            {
                _reservedIds.Enqueue(reserved);
            }
            _reserve = Math.Min(_reserve * 4, 4096);
        }
        id = _reservedIds.Dequeue();
        _newStreams.Add((id, k0, k1, k2, k3));
        _streamIds[(k0, k1, k2, k3)] = id;
        return id;
    }

    /// <summary>Reads the stored streams of one extent key (host and source / symbol and venue).</summary>
    private void LoadStreams(string k0, string k1)
    {
        var columns = _table.StreamColumns;
        var rest = columns.Skip(2).ToList();
        using var cmd = Command($"SELECT stream{string.Concat(rest.Select(c => ", " + c))} FROM main.{_table.Streams} WHERE {columns[0]} = $a AND {columns[1]} = $b",
            [("a", k0), ("b", k1)]);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var id = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            var k2 = rest.Count > 0 ? reader.GetString(1) : "";
            var k3 = rest.Count > 1 ? reader.GetString(2) : "";
            _streamIds[(k0, k1, k2, k3)] = id;
        }
    }

    /// <summary>Stores the streams first seen by this writer, a few hundred per statement.</summary>
    private void InsertNewStreams()
    {
        var columns = _table.StreamColumns.Count;
        foreach (var chunk in _newStreams.Chunk(256))
        {
            var parameters = new List<(string, object)>();
            var values = new List<string>();
            foreach (var (id, k0, k1, k2, k3) in chunk)
            {
                var names = new List<string>();
                foreach (var v in new[] { k0, k1, k2, k3 }[..columns])
                {
                    var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                    parameters.Add((name, v));
                    names.Add("$" + name);
                }
                values.Add($"({id.ToString(CultureInfo.InvariantCulture)}, {string.Join(", ", names)})");
            }
            Execute($"INSERT INTO main.{_table.Streams} VALUES {string.Join(", ", values)}", [.. parameters]);
        }
        _newStreams.Clear();
    }

    private List<int> Ids(string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        using var reader = cmd.ExecuteReader();
        var ids = new List<int>();
        while (reader.Read())
        {
            ids.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        }
        return ids;
    }

    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private DuckDBCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.Add(new DuckDBParameter(name, value));
        }
        return cmd;
    }

    private sealed class FileState(int id, string source)
    {
        public int Id { get; } = id;

        public string Source { get; } = source;

        public Dictionary<(string K0, string K1), Extent> Extents { get; } = new(NamePairComparer.Instance);

        public long Rows { get; set; }

        /// <summary>A stream's (ts, tie-break) did not rise: the file may repeat a key.</summary>
        public bool Unordered { get; set; }
    }

    private sealed class Extent(string k0, string k1)
    {
        private readonly Dictionary<(string K2, string K3), Stream> _streams = new(NamePairComparer.Instance);
        private Stream? _last;

        public string K0 { get; } = k0;

        public string K1 { get; } = k1;

        public long Min { get; set; } = long.MaxValue;

        public long Max { get; set; } = long.MinValue;

        public Stream StreamOf(string k2, string k3, FileRowsWriter writer)
        {
            if (_last is not null && ReferenceEquals(k2, _last.K2) && ReferenceEquals(k3, _last.K3))
            {
                return _last;
            }
            if (!_streams.TryGetValue((k2, k3), out var stream))
            {
                stream = new Stream(writer.StreamId(K0, K1, k2, k3), k2, k3);
                _streams[(k2, k3)] = stream;
            }
            _last = stream;
            return stream;
        }
    }

    private sealed class Stream(int id, string k2, string k3)
    {
        public int Id { get; } = id;

        public string K2 { get; } = k2;

        public string K3 { get; } = k3;

        public long LastTs { get; set; } = long.MinValue;

        public long LastTieBreak { get; set; } = long.MinValue;
    }

    /// <summary>
    /// Equality of string pairs as the default comparer has it, with a cheap hash (a parser's rows repeat a handful of
    /// interned names, row after row): lengths and a few characters instead of every character of both.
    /// </summary>
    private sealed class NamePairComparer : IEqualityComparer<(string K2, string K3)>
    {
        public static readonly NamePairComparer Instance = new();

        public bool Equals((string K2, string K3) x, (string K2, string K3) y) =>
            (ReferenceEquals(x.K2, y.K2) || string.Equals(x.K2, y.K2, StringComparison.Ordinal))
            && (ReferenceEquals(x.K3, y.K3) || string.Equals(x.K3, y.K3, StringComparison.Ordinal));

        public int GetHashCode((string K2, string K3) k) => HashCode.Combine(Sketch(k.K2), Sketch(k.K3));

        private static int Sketch(string s) => s.Length == 0 ? 0 : (s.Length * 65_599) ^ (s[^1] * 257) ^ s[s.Length / 2] ^ (s[0] << 20);
    }
}
