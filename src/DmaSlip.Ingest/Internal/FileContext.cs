using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Internal;

/// <summary>
/// What a parser sees of the file it parses: where rows go, and the three counters of the counting identity
/// (records + skipped + quarantined = data lines or messages; headers, comments and blank lines count as none).
/// </summary>
internal sealed class FileContext(IIngestSink sink, string path, string fileHash, string format, string? host, long snapshotTsNs)
{
    public string Path { get; } = path;

    public string FileHash { get; } = fileHash;

    public string Format { get; } = format;

    /// <summary>
    /// Stable source id of host-event rows: the first 12 hex digits of the content hash (same content, same rows; the
    /// file's <c>ingest_files</c> row, whose content_hash starts with it, has its format and path). Twelve bytes is what
    /// DuckDB stores inline in a row, so the bulk path neither copies nor compresses it per row.
    /// </summary>
    public string Source { get; } = SourceOf(fileHash);

    /// <summary>The source of a file's rows: the first 12 characters of its identity (see <see cref="Source"/>).</summary>
    public static string SourceOf(string fileHash) => fileHash[..Math.Min(12, fileHash.Length)];

    public string? Host { get; set; } = host;

    /// <summary>The <c>--device</c> of the run (ethtool -S dumps that do not name theirs), or null.</summary>
    public string? Device { get; set; }

    /// <summary>Timestamp of a single snapshot that has no timestamp line (--ts, else the file's mtime).</summary>
    public long SnapshotTsNs { get; } = snapshotTsNs;

    public StringCache Strings { get; } = new();

    public long Records { get; private set; }

    public long Skipped { get; private set; }

    public long Quarantined { get; private set; }

    private readonly List<string> _warnings = [];

    /// <summary>Warnings so far (the first <see cref="FileResult.MaxWarningsKept"/>).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public long WarningCount { get; private set; }

    /// <summary>Notes something that landed but deserves a look, with the byte offset of its line.</summary>
    public void Warn(long offset, string message)
    {
        WarningCount++;
        if (_warnings.Count < FileResult.MaxWarningsKept)
        {
            _warnings.Add($"offset {offset}: {message}");
        }
    }

    private HashSet<string>? _said;

    /// <summary>A warning about the whole file, said at the first line it concerns and not again.</summary>
    public void WarnOnce(long offset, string message)
    {
        if ((_said ??= new HashSet<string>(StringComparer.Ordinal)).Add(message))
        {
            Warn(offset, message);
        }
    }

    /// <summary>The file's result from its counters and warnings.</summary>
    public FileResult Result() =>
        new(Path, Format, Records, Skipped, Quarantined, false) { Warnings = [.. _warnings], WarningCount = WarningCount };

    public string RequireHost() =>
        Host ?? throw new IngestException(
            $"{Path}: no host for {Format} data. Pass --host, or put the file under hosts/<host>/ (FIX: fix/<host>.fix.log).");

    public void Record() => Records++;

    public void Record(long n) => Records += n;

    public void Skip() => Skipped++;

    public void Skip(long n) => Skipped += n;

    /// <summary>
    /// Adds a row. Counters, quotes and trades are buffered and go to the sink in batches under this file's
    /// <see cref="Source"/> (<see cref="IIngestSink.AddHostCounters"/>, <see cref="IIngestSink.AddQuotes"/>,
    /// <see cref="IIngestSink.AddTrades"/>), each table's rows in the order added; whoever runs the parser calls
    /// <see cref="Flush"/> when it is done.
    /// </summary>
    public void Add<T>(T row) where T : notnull
    {
        if (typeof(T) == typeof(HostCounter))
        {
            Counters.Add(HostCounterEntry.Of((HostCounter)(object)row));
        }
        else if (typeof(T) == typeof(Quote))
        {
            (_quotes ??= new(rows => sink.AddQuotes(Source, rows))).Add(Unsafe.As<T, Quote>(ref row));
        }
        else if (typeof(T) == typeof(Trade))
        {
            (_trades ??= new(rows => sink.AddTrades(Source, rows))).Add(Unsafe.As<T, Trade>(ref row));
        }
        else
        {
            sink.Add(row);
        }
    }

    /// <summary>Adds a <c>host_counters</c> row without making an object of it (see <see cref="Add{T}"/>).</summary>
    public void AddCounter(long tsNs, string host, string source, string device, string name, double value) =>
        Counters.Add(new HostCounterEntry(tsNs, host, source, device, name, value));

    /// <summary>Hands the sink every buffered row (counters, quotes, trades, host events).</summary>
    public void Flush()
    {
        _counters?.Flush();
        _quotes?.Flush();
        _trades?.Flush();
        FlushHostEvents();
    }

    private const int RowBatch = 4096;

    private RowBuffer<HostCounterEntry>? _counters;
    private RowBuffer<Quote>? _quotes;
    private RowBuffer<Trade>? _trades;

    private RowBuffer<HostCounterEntry> Counters => _counters ??= new(rows => sink.AddHostCounters(Source, rows));

    private delegate void RowsHandler<T>(ReadOnlySpan<T> rows);

    /// <summary>One table's rows of this file, handed to the sink <see cref="RowBatch"/> at a time.</summary>
    private sealed class RowBuffer<T>(RowsHandler<T> hand)
    {
        private T[]? _rows;
        private int _count;

        public void Add(in T row)
        {
            _rows ??= new T[RowBatch];
            _rows[_count++] = row;
            if (_count == _rows.Length)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count > 0)
            {
                var n = _count;
                _count = 0;
                hand(_rows.AsSpan(0, n));
            }
        }
    }

    private const int HostEventBatch = 4096;
    private HostEventEntry[]? _hostEvents;
    private int _hostEventCount;
    private string _hostEventHost = "";

    /// <summary>
    /// Buffers one <c>host_events</c> row of this file's source; the sink gets them in batches
    /// (<see cref="IIngestSink.AddHostEvents"/>). The parser calls <see cref="FlushHostEvents"/> when it is done.
    /// </summary>
    public void AddHostEvent(string host, in HostEventEntry e)
    {
        if (_hostEventCount == HostEventBatch || (_hostEventCount > 0 && !ReferenceEquals(host, _hostEventHost)))
        {
            FlushHostEvents();
        }
        _hostEvents ??= new HostEventEntry[HostEventBatch];
        _hostEventHost = host;
        _hostEvents[_hostEventCount++] = e;
    }

    public void FlushHostEvents()
    {
        if (_hostEventCount > 0)
        {
            sink.AddHostEvents(_hostEventHost, Source, _hostEvents.AsSpan(0, _hostEventCount));
            _hostEventCount = 0;
        }
    }

    /// <summary>
    /// Hands the sink a run of <c>host_events</c> rows as they are (after any buffered by <see cref="AddHostEvent"/>):
    /// the parallel trace parse delivers each chunk's events this way, in file order.
    /// </summary>
    public void AddHostEvents(string host, ReadOnlySpan<HostEventEntry> events)
    {
        FlushHostEvents();
        sink.AddHostEvents(host, Source, events);
    }

    public IIngestSink Sink => sink;

    public void Quarantine(long offset, string reason, ReadOnlySpan<byte> raw)
    {
        Quarantined++;
        sink.Add(new QuarantineRecord(FileHash, Path, offset, reason, Ascii.Raw(raw)));
    }

    /// <summary>As <see cref="Quarantine(long, string, ReadOnlySpan{byte})"/>, with the raw text already made by <see cref="Ascii.Raw"/>.</summary>
    public void QuarantineText(long offset, string reason, string raw)
    {
        Quarantined++;
        sink.Add(new QuarantineRecord(FileHash, Path, offset, reason, raw));
    }
}
