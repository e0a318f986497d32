using System.Globalization;
using DmaSlip.Core.Domain;
using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace DmaSlip.Storage;

/// <summary>
/// The bulk path of <c>host_counters</c> (migration 2104): an ingested file's rows are appended column-wise, a data
/// chunk at a time, into <c>host_counter_data</c> under the file's id, with no key check per row; each row's host,
/// source, device and name become a stream id (a <c>host_counter_streams</c> row when first seen). The natural key
/// (host, source, device, name, ts_ns) stays unique set-wise at <see cref="Complete"/>, inside the caller's
/// transaction: the file's extents (first and last ts per host and counter source) are recorded; rows whose key the
/// same file repeats keep their first occurrence (looked for only when a stream's timestamps did not rise); and rows
/// whose key another file already holds are removed (looked for only where that file's extents overlap) — so the
/// store ends as an <c>INSERT OR IGNORE</c> of the files in order would leave it. Joins the open transaction; an
/// abandoned writer adds nothing more. Not thread-safe.
/// </summary>
public sealed class HostCounterWriter : IDisposable
{
    private static readonly DuckDBType[] Columns = [DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Double, DuckDBType.Integer];

    private readonly DuckDBConnection _connection;
    private readonly ChunkAppender _appender;
    private readonly Dictionary<(string Host, string Source, string Device, string Name), int> _streamIds = [];
    private readonly List<FileState> _files = [];
    private readonly Dictionary<string, FileState> _fileBySource = new(StringComparer.Ordinal);
    private FileState? _file;
    private Extent? _extent;

    internal HostCounterWriter(DuckDBConnection connection)
    {
        _connection = connection;
        _appender = new ChunkAppender(connection, HostCounterStorage.Data, Columns, singleThreaded: true);
    }

    /// <summary>Appends one counter row of the file whose source is <paramref name="fileSource"/> (the first 12 hex digits of its identity).</summary>
    public void Add(string fileSource, HostCounter row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var file = FileOf(fileSource);
        var extent = ExtentOf(file, row.Host, row.Source);
        var stream = extent.StreamOf(row.Device, row.Name, this);
        var ts = row.TsNs;
        if (ts <= stream.LastTs)
        {
            file.Unordered = true;
        }
        stream.LastTs = ts;
        extent.Min = Math.Min(extent.Min, ts);
        extent.Max = Math.Max(extent.Max, ts);
        file.Rows++;
        var a = _appender;
        a.Int64(0, ts);
        a.Int32(1, stream.Id);
        a.Double(2, row.Value);
        a.Int32(3, file.Id);
        a.EndRow();
    }

    /// <summary>
    /// Hands the last rows to DuckDB, records each file's extents and removes the rows whose natural key is already
    /// stored (by another file, or earlier in the same file). Returns the rows kept.
    /// </summary>
    public long Complete()
    {
        _appender.Complete();
        long kept = 0;
        for (var i = 0; i < _files.Count; i++)
        {
            var file = _files[i];
            foreach (var e in file.Extents.Values)
            {
                Execute($"INSERT INTO main.{HostCounterStorage.Extents} VALUES ({file.Id}, $h, $s, {e.Min}, {e.Max}) "
                    + "ON CONFLICT (file, host, source) DO UPDATE SET min_ts_ns = least(min_ts_ns, excluded.min_ts_ns), max_ts_ns = greatest(max_ts_ns, excluded.max_ts_ns)",
                    ("h", e.Host), ("s", e.Source));
            }
            var removed = 0L;
            if (file.Unordered)
            {
                removed += Execute($"DELETE FROM main.{HostCounterStorage.Data} WHERE file = {file.Id} AND rowid IN ("
                    + $"SELECT rowid FROM (SELECT rowid, row_number() OVER (PARTITION BY stream, ts_ns ORDER BY rowid) AS n "
                    + $"FROM main.{HostCounterStorage.Data} WHERE file = {file.Id}) WHERE n > 1)");
            }
            var later = string.Join(", ", _files.Skip(i).Select(f => f.Id.ToString(CultureInfo.InvariantCulture)));
            var colliding = Ids($"SELECT DISTINCT o.file FROM main.{HostCounterStorage.Extents} n JOIN main.{HostCounterStorage.Extents} o "
                + $"ON o.host = n.host AND o.source = n.source AND o.max_ts_ns >= n.min_ts_ns AND o.min_ts_ns <= n.max_ts_ns "
                + $"WHERE n.file = {file.Id} AND o.file NOT IN ({later}) ORDER BY o.file");
            if (colliding.Count > 0)
            {
                removed += Execute($"DELETE FROM main.{HostCounterStorage.Data} d WHERE d.file = {file.Id} AND EXISTS (SELECT 1 FROM main.{HostCounterStorage.Data} o "
                    + $"WHERE o.file IN ({string.Join(", ", colliding)}) AND o.stream = d.stream AND o.ts_ns = d.ts_ns)");
            }
            kept += file.Rows - removed;
        }
        return kept;
    }

    public void Dispose() => _appender.Dispose();

    private FileState FileOf(string source)
    {
        if (_file is not null && ReferenceEquals(source, _file.Source))
        {
            return _file;
        }
        if (!_fileBySource.TryGetValue(source, out var file))
        {
            var found = Ids($"SELECT file FROM main.{HostCounterStorage.Files} WHERE source = $s", ("s", source));
            var id = found.Count > 0 ? found[0]
                : Ids($"INSERT INTO main.{HostCounterStorage.Files} VALUES (nextval('{HostCounterStorage.FileIds}'), $s) RETURNING file", ("s", source))[0];
            file = new FileState(id, source);
            _fileBySource[source] = file;
            _files.Add(file);
        }
        _file = file;
        _extent = null;
        return file;
    }

    private Extent ExtentOf(FileState file, string host, string source)
    {
        if (_extent is not null && ReferenceEquals(host, _extent.Host) && ReferenceEquals(source, _extent.Source))
        {
            return _extent;
        }
        if (!file.Extents.TryGetValue((host, source), out var extent))
        {
            extent = new Extent(host, source);
            file.Extents[(host, source)] = extent;
        }
        _extent = extent;
        return extent;
    }

    private int StreamId(string host, string source, string device, string name)
    {
        if (_streamIds.TryGetValue((host, source, device, name), out var id))
        {
            return id;
        }
        (string, object)[] p = [("h", host), ("s", source), ("d", device), ("n", name)];
        var found = Ids($"SELECT stream FROM main.{HostCounterStorage.Streams} WHERE host = $h AND source = $s AND device = $d AND name = $n", p);
        id = found.Count > 0 ? found[0]
            : Ids($"INSERT INTO main.{HostCounterStorage.Streams} VALUES (nextval('{HostCounterStorage.StreamIds}'), $h, $s, $d, $n) RETURNING stream", p)[0];
        _streamIds[(host, source, device, name)] = id;
        return id;
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

        public Dictionary<(string Host, string Source), Extent> Extents { get; } = [];

        public long Rows { get; set; }

        /// <summary>A stream's timestamp did not rise: the file may repeat a key.</summary>
        public bool Unordered { get; set; }
    }

    private sealed class Extent(string host, string source)
    {
        private readonly Dictionary<(string Device, string Name), CounterStream> _streams = new(NamePairComparer.Instance);
        private CounterStream? _last;

        public string Host { get; } = host;

        public string Source { get; } = source;

        public long Min { get; set; } = long.MaxValue;

        public long Max { get; set; } = long.MinValue;

        public CounterStream StreamOf(string device, string name, HostCounterWriter writer)
        {
            if (_last is not null && ReferenceEquals(device, _last.Device) && ReferenceEquals(name, _last.Name))
            {
                return _last;
            }
            if (!_streams.TryGetValue((device, name), out var stream))
            {
                stream = new CounterStream(writer.StreamId(Host, Source, device, name), device, name);
                _streams[(device, name)] = stream;
            }
            _last = stream;
            return stream;
        }
    }

    private sealed class CounterStream(int id, string device, string name)
    {
        public int Id { get; } = id;

        public string Device { get; } = device;

        public string Name { get; } = name;

        public long LastTs { get; set; } = long.MinValue;
    }

    /// <summary>
    /// Equality of (device, name) pairs as the default comparer has it, with a cheap hash (a parser's rows repeat a
    /// handful of interned names, row after row): lengths and a few characters instead of every character of both.
    /// </summary>
    private sealed class NamePairComparer : IEqualityComparer<(string Device, string Name)>
    {
        public static readonly NamePairComparer Instance = new();

        public bool Equals((string Device, string Name) x, (string Device, string Name) y) =>
            (ReferenceEquals(x.Device, y.Device) || string.Equals(x.Device, y.Device, StringComparison.Ordinal))
            && (ReferenceEquals(x.Name, y.Name) || string.Equals(x.Name, y.Name, StringComparison.Ordinal));

        public int GetHashCode((string Device, string Name) k) => HashCode.Combine(Sketch(k.Device), Sketch(k.Name));

        private static int Sketch(string s) => s.Length == 0 ? 0 : (s.Length * 65_599) ^ (s[^1] * 257) ^ s[s.Length / 2] ^ (s[0] << 20);
    }
}
