using DmaSlip.Core.Domain;

namespace DmaSlip.Storage;

/// <summary>
/// The bulk path of ingested files' <c>host_counters</c>, <c>market_quotes</c> and <c>market_trades</c> rows
/// (migrations 2104, 2105): appended column-wise under each file's id, the natural key kept unique set-wise at
/// <see cref="Complete"/> (see <see cref="FileRowsWriter"/>). Joins the open transaction; an abandoned writer adds
/// nothing more. Not thread-safe.
/// </summary>
public sealed class FileRowWriter : IDisposable
{
    private readonly DuckDB.NET.Data.DuckDBConnection _connection;
    private FileRowsWriter? _counters;
    private FileRowsWriter? _quotes;
    private FileRowsWriter? _trades;

    private readonly bool _singleThreaded;

    /// <param name="singleThreaded">Whether each appender sets (and restores) the bulk settings itself: false when the store holds them (<see cref="DmaSlipStore.HoldBulkSettings"/>).</param>
    internal FileRowWriter(DuckDB.NET.Data.DuckDBConnection connection, bool singleThreaded)
    {
        _connection = connection;
        _singleThreaded = singleThreaded;
    }

    /// <summary>Appends a counter row of the file whose source is <paramref name="fileSource"/> (the first 12 hex digits of its identity).</summary>
    public void Add(string fileSource, HostCounter row)
    {
        ArgumentNullException.ThrowIfNull(row);
        AddCounter(fileSource, row.TsNs, row.Host, row.Source, row.Device, row.Name, row.Value);
    }

    /// <summary>As <see cref="Add(string, HostCounter)"/>, for a counter row given as its values.</summary>
    public void AddCounter(string fileSource, long tsNs, string host, string source, string device, string name, double value)
    {
        var w = _counters ??= new FileRowsWriter(_connection, AppendOnlyTable.HostCounters, _singleThreaded);
        w.Begin(fileSource, host, source, device, name, tsNs, 0);
        w.Appender.Double(2, value);
        w.Appender.EndRow();
    }

    /// <summary>Appends a quote of the file whose source is <paramref name="fileSource"/>.</summary>
    public void Add(string fileSource, in Quote row)
    {
        var w = _quotes ??= new FileRowsWriter(_connection, AppendOnlyTable.MarketQuotes, _singleThreaded);
        w.Begin(fileSource, row.Symbol, row.Venue, "", "", row.TsNs, row.Seq);
        var a = w.Appender;
        a.Double(2, row.BidPx);
        a.Int64(3, row.BidSize);
        a.Double(4, row.AskPx);
        a.Int64(5, row.AskSize);
        NullableInt64(a, 6, row.ExchangeTsNs);
        a.Int32(7, row.Seq);
        a.EndRow();
    }

    /// <summary>Appends a trade of the file whose source is <paramref name="fileSource"/>.</summary>
    public void Add(string fileSource, in Trade row)
    {
        var w = _trades ??= new FileRowsWriter(_connection, AppendOnlyTable.MarketTrades, _singleThreaded);
        w.Begin(fileSource, row.Symbol, row.Venue, "", "", row.TsNs, row.Seq);
        var a = w.Appender;
        a.Double(2, row.Px);
        a.Int64(3, row.Size);
        if (row.Condition is null)
        {
            a.Null(4);
        }
        else
        {
            a.Text(4, row.Condition);
        }
        NullableInt64(a, 5, row.ExchangeTsNs);
        a.Int32(6, row.Seq);
        a.EndRow();
    }

    /// <summary>Hands the last rows to DuckDB and keeps each natural key once (see <see cref="FileRowsWriter.Complete"/>); returns the rows kept.</summary>
    public long Complete() => (_counters?.Complete() ?? 0) + (_quotes?.Complete() ?? 0) + (_trades?.Complete() ?? 0);

    public void Dispose()
    {
        // in reverse: each appender restores the connection settings it found when disposed
        _trades?.Dispose();
        _quotes?.Dispose();
        _counters?.Dispose();
    }

    private static void NullableInt64(Internal.ChunkAppender a, int column, long? value)
    {
        if (value is { } v)
        {
            a.Int64(column, v);
        }
        else
        {
            a.Null(column);
        }
    }
}
