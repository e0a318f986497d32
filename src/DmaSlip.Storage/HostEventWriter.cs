using DmaSlip.Core.Domain;
using DmaSlip.Storage.Internal;
using DuckDB.NET.Native;

namespace DmaSlip.Storage;

/// <summary>
/// The bulk path of <c>host_events</c>: rows are appended column-wise, a data chunk at a time, straight into the
/// append-only table, with no key check per row (migration 2101). It is for rows whose (host, source, source_offset,
/// kind) cannot be in the table yet because their source names content not ingested before: the trace ingest, whose
/// source holds the file's content hash and which commits the rows with the file's <c>ingest_files</c> row. Rows of
/// unknown provenance go through <see cref="DmaSlipStore.Writer{T}"/>, which checks keys set-wise. Joins the open
/// transaction; an abandoned writer adds nothing more. Not thread-safe.
/// </summary>
public sealed class HostEventWriter : IDisposable
{
    private static readonly DuckDBType[] Columns =
    [
        DuckDBType.BigInt, DuckDBType.Varchar, DuckDBType.Varchar, DuckDBType.Integer, DuckDBType.Integer,
        DuckDBType.Varchar, DuckDBType.BigInt, DuckDBType.BigInt, DuckDBType.BigInt, DuckDBType.Varchar, DuckDBType.BigInt,
    ];

    private readonly ChunkAppender _appender;

    internal HostEventWriter(DuckDB.NET.Data.DuckDBConnection connection) =>
        _appender = new ChunkAppender(connection, Tables.HostEvents.Name, Columns, singleThreaded: true);

    /// <summary>Appends one row (the columns of <see cref="HostEventRow"/>, in order).</summary>
    public void Add(long tsNs, string host, string device, int queue, int cpu, HostEventKind kind, long size, long value, long aux, string source, long sourceOffset)
    {
        var a = _appender;
        a.Int64(0, tsNs);
        a.Text(1, host);
        a.Text(2, device);
        a.Int32(3, queue);
        a.Int32(4, cpu);
        a.Text(5, kind.Name());
        a.Int64(6, size);
        a.Int64(7, value);
        a.Int64(8, aux);
        a.Text(9, source);
        a.Int64(10, sourceOffset);
        a.EndRow();
    }

    /// <summary>Hands the last rows to DuckDB; returns the rows appended.</summary>
    public long Complete() => _appender.Complete();

    public void Dispose() => _appender.Dispose();
}
