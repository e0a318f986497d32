using System.Runtime.CompilerServices;
using System.Text;
using DuckDBConnection = DuckDB.NET.Data.DuckDBConnection;
using DuckDB.NET.Native;

namespace DmaSlip.Storage.Internal;

/// <summary>
/// Appends rows to a table through DuckDB's C API a whole data chunk (one vector, 2048 rows) at a time: values are
/// written straight into the chunk's column memory, and a full chunk is handed to the appender in one call. This is
/// what DuckDB.NET's row appender does too, but without a virtual call and a type switch per value, so a row costs a
/// few stores. Text of 12 bytes or less is written inline (DuckDB's <c>string_t</c>); longer text is copied by DuckDB.
/// The appender joins the connection's open transaction. Not thread-safe.
/// <para>
/// <c>singleThreaded</c>: while the appender is open, DuckDB runs with <c>threads = 1</c> and a memory limit of
/// <see cref="BulkMemoryLimit"/> (both restored at the end). Each flush of the appender runs as a small query, and with
/// worker threads the calling thread busy-polls for its result while one worker does the work: a whole core spent
/// waiting, on a 2-core machine the core the trace parser needs. And DuckDB keeps the blocks it has written in its
/// buffer pool up to its memory limit (80 % of RAM by default), so without a limit the resident memory of a long
/// append grows with the file (743 MB after 1.5 GB of a 5 GB trace); with it, written blocks are evicted.
/// </para>
/// </summary>
internal sealed unsafe class ChunkAppender : IDisposable
{
    private const int InlineBytes = 12;

    private readonly DuckDBAppender _appender;
    private readonly DuckDBDataChunk _chunk;
    private readonly nint[] _vectors;
    private readonly nint[] _data;
    private readonly nint[] _validity;
    private readonly int _capacity;
    private readonly Dictionary<string, Utf8Text> _text = new(ReferenceEqualityComparer.Instance);
    private readonly string _table;
    private readonly DuckDBConnection? _restoreThreadsOn;
    private readonly long _threads;
    private readonly string _memoryLimit = "";

    /// <summary>DuckDB's memory limit while a single-threaded bulk append is open.</summary>
    public const string BulkMemoryLimit = "256MB";
    private int _row;
    private bool _closed;

    public ChunkAppender(DuckDBConnection connection, string table, IReadOnlyList<DuckDBType> types, bool singleThreaded = false)
        : this(connection, null, table, types, singleThreaded)
    {
    }

    /// <param name="catalog">The table's catalog (<c>temp</c> for a temporary table), or null for the default.</param>
    public ChunkAppender(DuckDBConnection connection, string? catalog, string table, IReadOnlyList<DuckDBType> types, bool singleThreaded = false)
    {
        _table = table;
        if (singleThreaded)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT current_setting('threads')";
            _threads = Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            cmd.CommandText = "SELECT current_setting('memory_limit')";
            _memoryLimit = Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            Set(connection, "threads", "1");
            Set(connection, "memory_limit", "'" + BulkMemoryLimit + "'");
            _restoreThreadsOn = connection;
        }
        var created = catalog is null
            ? NativeMethods.Appender.DuckDBAppenderCreate(connection.NativeConnection, null, table, out _appender)
            : NativeMethods.Appender.DuckDBAppenderCreateExt(connection.NativeConnection, catalog, "main", table, out _appender);
        if (created != DuckDBState.Success)
        {
            var message = ErrorOf(_appender);
            _appender.Dispose();
            throw new InvalidOperationException($"Cannot append to {table}: {message}");
        }
        var logical = types.Select(NativeMethods.LogicalType.DuckDBCreateLogicalType).ToArray();
        try
        {
            _chunk = NativeMethods.DataChunks.DuckDBCreateDataChunk(logical.Select(l => l.DangerousGetHandle()).ToArray(), (ulong)logical.Length);
        }
        finally
        {
            foreach (var l in logical)
            {
                l.Dispose();
            }
        }
        _capacity = (int)NativeMethods.Helpers.DuckDBVectorSize();
        _vectors = new nint[types.Count];
        _data = new nint[types.Count];
        _validity = new nint[types.Count];
        MapVectors();
    }

    /// <summary>Rows handed to DuckDB so far (whole chunks; the last partial chunk goes at <see cref="Complete"/>).</summary>
    public long Appended { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Int64(int column, long value) => ((long*)_data[column])[_row] = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Int32(int column, int value) => ((int*)_data[column])[_row] = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Double(int column, double value) => ((double*)_data[column])[_row] = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Bool(int column, bool value) => ((byte*)_data[column])[_row] = value ? (byte)1 : (byte)0;

    /// <summary>Marks the current row's value of <paramref name="column"/> null (its validity bit cleared).</summary>
    public void Null(int column)
    {
        if (_validity[column] == 0)
        {
            NativeMethods.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            _validity[column] = (nint)NativeMethods.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        }
        ((ulong*)_validity[column])[_row >> 6] &= ~(1UL << (_row & 63));
    }

    public void Text(int column, string value)
    {
        if (!_text.TryGetValue(value, out var t))
        {
            t = Utf8Text.Of(value);
            // the cache holds the distinct strings of a stream (hosts, devices, kinds, sources): few; a stream of
            // distinct text (e.g. quarantine raw lines) must not grow it without bound
            if (_text.Count < 4096)
            {
                _text[value] = t;
            }
        }
        if (t.Bytes is null)
        {
            *(UInt128*)((byte*)_data[column] + ((nint)_row * 16)) = t.Inline;
        }
        else
        {
            fixed (byte* p = t.Bytes)
            {
                NativeMethods.Vectors.DuckDBUnsafeVectorAssignStringElementLength(_vectors[column], (ulong)_row, p, t.Bytes.Length);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndRow()
    {
        if (++_row == _capacity)
        {
            Flush();
        }
    }

    /// <summary>Hands the last rows to DuckDB and closes the appender (its rows are then in the transaction).</summary>
    public long Complete()
    {
        if (!_closed)
        {
            Flush();
            _closed = true;
            if (NativeMethods.Appender.DuckDBAppenderClose(_appender) != DuckDBState.Success)
            {
                throw new InvalidOperationException($"Cannot append to {_table}: {ErrorOf(_appender)}");
            }
        }
        return Appended;
    }

    /// <summary>Discards rows not yet handed over; an abandoned appender adds nothing more (the caller rolls back).</summary>
    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            NativeMethods.Appender.DuckDBAppenderClear(_appender);
        }
        _chunk.Dispose();
        _appender.Dispose();
        if (_restoreThreadsOn is not null)
        {
            Set(_restoreThreadsOn, "threads", _threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Set(_restoreThreadsOn, "memory_limit", "'" + _memoryLimit.Replace("'", "", StringComparison.Ordinal) + "'");
        }
    }

    private static void Set(DuckDBConnection connection, string setting, string value)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SET {setting} = {value}";
        cmd.ExecuteNonQuery();
    }

    private void Flush()
    {
        if (_row == 0)
        {
            return;
        }
        NativeMethods.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_row);
        if (NativeMethods.Appender.DuckDBAppendDataChunk(_appender, _chunk) != DuckDBState.Success)
        {
            throw new InvalidOperationException($"Cannot append to {_table}: {ErrorOf(_appender)}");
        }
        Appended += _row;
        _row = 0;
        NativeMethods.DataChunks.DuckDBDataChunkReset(_chunk);
        MapVectors();
    }

    private void MapVectors()
    {
        for (var i = 0; i < _vectors.Length; i++)
        {
            _vectors[i] = NativeMethods.DataChunks.DuckDBDataChunkGetVector(_chunk, i);
            _data[i] = (nint)NativeMethods.Vectors.DuckDBVectorGetData(_vectors[i]);
            _validity[i] = 0;
        }
    }

    private static string ErrorOf(DuckDBAppender appender)
    {
        using var error = NativeMethods.Appender.DuckDBAppenderErrorData(appender);
        return error.HasError ? error.Message ?? "unknown error" : "unknown error";
    }

    /// <summary>A string as DuckDB stores it: inline (length + ≤ 12 bytes, zero padded) or as UTF-8 bytes to copy.</summary>
    private readonly record struct Utf8Text(UInt128 Inline, byte[]? Bytes)
    {
        public static Utf8Text Of(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            if (bytes.Length > InlineBytes)
            {
                return new Utf8Text(default, bytes);
            }
            Span<byte> slot = stackalloc byte[16];
            slot.Clear();
            BitConverter.TryWriteBytes(slot, (uint)bytes.Length);
            bytes.CopyTo(slot[4..]);
            return new Utf8Text(System.Runtime.InteropServices.MemoryMarshal.Read<UInt128>(slot), null);
        }
    }
}
