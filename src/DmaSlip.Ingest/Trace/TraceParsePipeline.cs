using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// The parallel trace parse of one file. The calling thread reads newline-aligned chunks (<see cref="LineChunkReader"/>)
/// and queues them; worker threads, each with its own string cache, parse them (<see cref="TraceParser.ParseChunk"/>);
/// the calling thread waits for the oldest chunk, delivers it to the context (<see cref="TraceParser.DeliverChunk"/>)
/// and refills it with the next read. So the sink is only ever called from the calling thread, in file order, and at
/// most <c>4 × threads</c> chunks exist (memory is fixed, whatever the file's size). The file is read, not mapped: a
/// file truncated while mapped would kill the process (SIGBUS).
/// </summary>
internal sealed class TraceParsePipeline : IDisposable
{
    private readonly FileContext _ctx;
    private readonly int _lineLimit;
    private readonly bool _findHost;
    private readonly LineChunkReader _reader;
    private readonly BlockingCollection<TraceChunk> _work = [];
    private readonly Thread[] _workers;
    private readonly TraceChunk[] _chunks;
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
        var inFlight = new Queue<TraceChunk>(_chunks.Length);
        for (var i = 0; i < _chunks.Length; i++)
        {
            _chunks[i] = new TraceChunk(_reader.BufferSize);
            if (!Refill(_chunks[i], inFlight))
            {
                break;
            }
        }
        string? host = _ctx.Host;
        while (inFlight.TryDequeue(out var c))
        {
            c.Done.Wait();
            if (c.Error is not null)
            {
                ExceptionDispatchInfo.Throw(c.Error);
            }
            TraceParser.DeliverChunk(c, _ctx, ref host);
            Refill(c, inFlight);
        }
    }

    private bool Refill(TraceChunk c, Queue<TraceChunk> inFlight)
    {
        c.Reset();
        c.Kind = _reader.Next(c.Data, out var length, out var offset);
        if (c.Kind == LineChunkKind.End)
        {
            return false;
        }
        c.Length = length;
        c.Offset = offset;
        inFlight.Enqueue(c);
        if (c.Kind == LineChunkKind.Overlong)
        {
            c.Done.Set(); // nothing to parse: the delivery quarantines its head
        }
        else
        {
            _work.Add(c);
        }
        return true;
    }

    private void Work()
    {
        HelperThreads.Yield();
        var strings = new StringCache();
        foreach (var c in _work.GetConsumingEnumerable())
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
    }

    /// <summary>Stops the workers (those still queued are skipped when the parse failed) and waits for them.</summary>
    public void Dispose()
    {
        _stopping = true;
        _work.CompleteAdding();
        foreach (var w in _workers)
        {
            w.Join();
        }
        _work.Dispose();
        foreach (var c in _chunks)
        {
            c?.Dispose();
        }
    }
}
