using DmaSlip.Core.Domain;
using DmaSlip.Storage.Internal;
using DuckDB.NET.Native;

namespace DmaSlip.Storage;

/// <summary>
/// The bulk path of <c>host_events</c>: rows are appended column-wise, a data chunk at a time, straight into
/// <c>host_event_data</c> (migration 2103), with no key check per row. Each row's host, device, kind and source become
/// a stream id: a new combination gets its <c>host_event_streams</c> row when first seen (a handful per file), so the
/// per-row work is a few stores. It is for rows whose (host, source, source_offset, kind) cannot be in the table yet
/// because their source names content not ingested before: the trace ingest, whose source holds the file's content
/// hash and which commits the rows with the file's <c>ingest_files</c> row. Rows of unknown provenance go through
/// <see cref="DmaSlipStore.Writer{T}"/>, which checks keys set-wise. Joins the open transaction; an abandoned writer
/// adds nothing more. Not thread-safe.
/// </summary>
public sealed class HostEventWriter : IDisposable
{
    private static readonly DuckDBType[] Columns =
    [
        DuckDBType.BigInt, DuckDBType.Integer, DuckDBType.Integer, DuckDBType.Integer,
        DuckDBType.BigInt, DuckDBType.BigInt, DuckDBType.BigInt, DuckDBType.BigInt,
    ];

    private static readonly int KindCount = Enum.GetValues<HostEventKind>().Max(k => (int)k) + 1;

    private readonly DuckDB.NET.Data.DuckDBConnection _connection;
    private readonly ChunkAppender _appender;
    private readonly Dictionary<(string Host, string Device, HostEventKind Kind, string Source), int> _streams = [];
    private readonly Dictionary<string, int[]> _byDevice = new(ReferenceEqualityComparer.Instance);
    private string? _host;
    private string? _source;
    private string? _device;
    private int[] _kinds = [];

    private readonly long _writeBufferRowGroups;

    /// <remarks>
    /// DuckDB writes the row groups of a large append to the file as they fill, but by default it buffers 5 complete
    /// row groups (122,880 rows each) before compressing and writing them: up to 600,000 rows of a 2M-line trace were
    /// compressed at the commit, after the parse had ended, and the buffer held ~35 MB. With one, each row group is
    /// compressed as soon as it is complete, while its data is still in cache and the parse goes on (peak RSS of the
    /// 2M-line ingest 203 → 168 MB, the same rows, a file 2 % smaller). Restored on <see cref="Dispose"/>.
    /// </remarks>
    internal HostEventWriter(DuckDB.NET.Data.DuckDBConnection connection)
    {
        _connection = connection;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT current_setting('write_buffer_row_group_count')";
            _writeBufferRowGroups = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            cmd.CommandText = "SET write_buffer_row_group_count = 1";
            cmd.ExecuteNonQuery();
        }
        _appender = new ChunkAppender(connection, HostEventStorage.Data, Columns, singleThreaded: true);
    }

    /// <summary>Appends one row (the columns of <see cref="HostEventRow"/>, in order).</summary>
    public void Add(long tsNs, string host, string device, int queue, int cpu, HostEventKind kind, long size, long value, long aux, string source, long sourceOffset)
    {
        var stream = StreamOf(host, device, kind, source);
        var a = _appender;
        a.Int64(0, tsNs);
        a.Int32(1, stream);
        a.Int32(2, queue);
        a.Int32(3, cpu);
        a.Int64(4, size);
        a.Int64(5, value);
        a.Int64(6, aux);
        a.Int64(7, sourceOffset);
        a.EndRow();
    }

    /// <summary>Hands the last rows to DuckDB; returns the rows appended.</summary>
    public long Complete() => _appender.Complete();

    public void Dispose()
    {
        _appender.Dispose();
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SET write_buffer_row_group_count = " + _writeBufferRowGroups.ToString(System.Globalization.CultureInfo.InvariantCulture);
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// The stream id of a row: from a per-device table by kind while host and source stay the same objects (a parser's
    /// batch), else from the streams seen by this writer, else from the database (found or added).
    /// </summary>
    private int StreamOf(string host, string device, HostEventKind kind, string source)
    {
        if (!ReferenceEquals(host, _host) || !ReferenceEquals(source, _source))
        {
            _host = host;
            _source = source;
            _byDevice.Clear();
            _device = null;
        }
        if (!ReferenceEquals(device, _device))
        {
            if (!_byDevice.TryGetValue(device, out var kinds))
            {
                kinds = new int[KindCount];
                _byDevice[device] = kinds;
            }
            _device = device;
            _kinds = kinds;
        }
        var k = (int)kind;
        var id = _kinds[k];
        if (id == 0)
        {
            if (!_streams.TryGetValue((host, device, kind, source), out id))
            {
                id = FindOrAddStream(host, device, kind.Name(), source);
                _streams[(host, device, kind, source)] = id;
            }
            _kinds[k] = id;
        }
        return id;
    }

    // A new stream (every stream of a file not ingested before) costs one statement; one already stored (a rerun after a
    // replaced ingest, a test) a second, to read its id.
    private int FindOrAddStream(string host, string device, string kind, string source)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"INSERT INTO main.{HostEventStorage.Streams} VALUES (nextval('{HostEventStorage.StreamIds}'), $h, $d, $k, $s) "
            + "ON CONFLICT (host, device, kind, source) DO NOTHING RETURNING stream";
        cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("h", host));
        cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("d", device));
        cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("k", kind));
        cmd.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter("s", source));
        var added = cmd.ExecuteScalar();
        if (added is not null and not DBNull)
        {
            return Convert.ToInt32(added, System.Globalization.CultureInfo.InvariantCulture);
        }
        cmd.CommandText = $"SELECT stream FROM main.{HostEventStorage.Streams} WHERE host = $h AND device = $d AND kind = $k AND source = $s";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
