using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// The parallel trace parse of one file. A reader thread reads newline-aligned chunks (<see cref="LineChunkReader"/>)
/// into free chunks and queues them, in file order, to the worker threads (each with its own string cache, parsing with
/// <see cref="TraceParser.ParseChunk"/>) and to the calling thread, which waits for the oldest chunk, delivers it to the
/// context (<see cref="TraceParser.DeliverChunk"/>) and frees it. So the sink is only ever called from the calling
/// thread, in file order, and at most <c>4 × threads</c> chunks exist (memory is fixed, whatever the file's size). The
/// calling thread is the critical path of an ingest (it runs the store), so the file's reads are not on it; the reader
/// and the workers run at a lower priority (<see cref="HelperThreads"/>); when the oldest chunk is not parsed yet, the
/// calling thread parses queued chunks itself rather than wait. The file is read, not mapped: a file truncated
/// while mapped would kill the process (SIGBUS).
/// </summary>
internal sealed class TraceParsePipeline : IDisposable
{
    private readonly FileContext _ctx;
    private readonly int _lineLimit;
    private readonly bool _findHost;
    private readonly LineChunkReader _reader;
    private readonly BlockingCollection<TraceChunk> _work = [];
    private readonly BlockingCollection<TraceChunk> _free = [];
    private readonly BlockingCollection<TraceChunk> _inFlight = [];
    private readonly Thread[] _workers;
    private readonly TraceChunk[] _chunks;
    private Thread? _readerThread;
    private StringCache? _ownStrings;
    private Exception? _readError;
    private volatile bool _stopping;

    public TraceParsePipeline(Stream input, FileContext ctx, int threads, int lineLimit, int chunkBytes)
    {
        _ctx = ctx;
        _lineLimit = lineLimit;
        _findHost = ctx.Host is null;
        _reader = new LineChunkReader(input, lineLimit, chunkBytes);
        _chunks = new TraceChunk[threads * 4];
        _workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = "trace-parse-" + i };
            _workers[i].Start();
        }
    }

    public void Run()
    {
        for (var i = 0; i < _chunks.Length; i++)
        {
            _chunks[i] = new TraceChunk(_reader.BufferSize);
            _free.Add(_chunks[i]);
        }
        _readerThread = new Thread(Read) { IsBackground = true, Name = "trace-read" };
        _readerThread.Start();
        string? host = _ctx.Host;
        foreach (var c in _inFlight.GetConsumingEnumerable())
        {
            WaitHelping(c);
            if (c.Error is not null)
            {
                ExceptionDispatchInfo.Throw(c.Error);
            }
            TraceParser.DeliverChunk(c, _ctx, ref host);
            _free.Add(c);
        }
        if (_readError is not null)
        {
            ExceptionDispatchInfo.Throw(_readError); // after the chunks read before it, as a read on this thread would
        }
    }

    /// <summary>The reader thread: fills free chunks in file order until the end, a read error or a stop.</summary>
    private void Read()
    {
        HelperThreads.Yield();
        try
        {
            foreach (var c in _free.GetConsumingEnumerable())
            {
                if (_stopping || !Refill(c))
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            _readError = ex;
        }
        finally
        {
            _inFlight.CompleteAdding();
        }
    }

    private bool Refill(TraceChunk c)
    {
        c.Reset();
        c.Kind = _reader.Next(c.Data, out var length, out var offset);
        if (c.Kind == LineChunkKind.End)
        {
            return false;
        }
        c.Length = length;
        c.Offset = offset;
        if (c.Kind == LineChunkKind.Overlong)
        {
            c.Done.Set(); // nothing to parse: the delivery quarantines its head
        }
        else
        {
            _work.Add(c);
        }
        _inFlight.Add(c);
        return true;
    }

    /// <summary>
    /// Waits for the oldest chunk, parsing queued chunks (the oldest first: often that one) on the calling thread
    /// meanwhile: when the workers lack a core (a busy machine), the calling thread parses rather than idles.
    /// </summary>
    private void WaitHelping(TraceChunk head)
    {
        while (!head.Done.IsSet && _work.TryTake(out var queued))
        {
            Parse(queued, _ownStrings ??= new StringCache());
        }
        head.Done.Wait();
    }

    private void Work()
    {
        HelperThreads.Yield();
        var strings = new StringCache();
        foreach (var c in _work.GetConsumingEnumerable())
        {
            Parse(c, strings);
        }
    }

    private void Parse(TraceChunk c, StringCache strings)
    {
        if (!_stopping)
        {
            try
            {
                TraceParser.ParseChunk(c, strings, _findHost, _lineLimit);
            }
            catch (Exception ex)
            {
                c.Error = ex;
            }
        }
        c.Done.Set();
    }

    /// <summary>Stops the workers (those still queued are skipped when the parse failed) and waits for them.</summary>
    public void Dispose()
    {
        _stopping = true;
        _free.CompleteAdding();
        _readerThread?.Join();
        _work.CompleteAdding();
        foreach (var w in _workers)
        {
            w.Join();
        }
        _work.Dispose();
        _free.Dispose();
        _inFlight.Dispose();
        foreach (var c in _chunks)
        {
            c?.Dispose();
        }
    }
}
