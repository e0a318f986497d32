using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest;

public sealed partial class Ingestor
{
    /// <summary>Rows a prefetched file may hold ahead of the store: batches of <see cref="PrefetchBatch"/> sink calls.</summary>
    private const int PrefetchBatches = 16;

    private const int PrefetchBatch = 4096;

    /// <summary>
    /// Whether the next file of a folder is read, hashed and parsed on another thread while the store writes this one
    /// (a sink that can rekey, i.e. the store; not Parquet, which DuckDB reads itself).
    /// </summary>
    private bool CanPrefetch(string format) => sink.CanRekey && format != Formats.Parquet && (options.ParseThreads ?? Environment.ProcessorCount) > 1;

    /// <summary>
    /// Starts reading <paramref name="path"/> on another thread: its content hash (and which earlier ingests of this path
    /// hashed to its first bytes), then its parse, under a placeholder identity, into a bounded queue of sink calls that
    /// <see cref="IngestPrefetched"/> replays into the sink inside the file's unit. The store is touched on this thread
    /// only (here: the earlier ingests of the path); the worker touches files and memory only.
    /// </summary>
    private Prefetch StartPrefetch(string path, string format, string? host)
    {
        IReadOnlyList<(string ContentHash, long Bytes)> earlier;
        try
        {
            earlier = sink.EarlierIngestsOf(path, new FileInfo(path).Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            earlier = [];
        }
        var placeholder = "pending" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(29))[..57];
        var p = new Prefetch(placeholder);
        p.Context = new FileContext(p.Recorder, path, placeholder, format, host, SnapshotTs(path)) { Device = options.Device };
        p.Worker = Task.Factory.StartNew(() =>
        {
            try
            {
                p.Hashed.SetResult(HashFile(path, earlier, host));
            }
            catch (Exception ex)
            {
                p.Hashed.SetException(ex);
                p.Queue.CompleteAdding();
                return;
            }
            try
            {
                Parse(path, format, p.Context);
                p.Recorder.Flush();
            }
            catch (Exception ex)
            {
                p.Failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                p.Queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return p;
    }

    /// <summary>
    /// The ingest of a prefetched file: as <see cref="IngestOne"/> — the same duplicate, replace and prefix rules on its
    /// content hash, one unit with its <c>ingest_files</c> row — with the parse's sink calls replayed from the queue and
    /// the placeholder identity renamed to the real one at the end of the unit (<see cref="IIngestSink.Rekey"/>).
    /// </summary>
    private FileResult IngestPrefetched(Prefetch p, string path, string format, string? host)
    {
        try
        {
            (string Content, long Bytes, List<string> PrefixOf) hashed;
            try
            {
                hashed = p.Hashed.Task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new FileResult(path, format, 0, 0, 0, false, $"cannot read: {ex.Message}");
            }
            var hash = Identity(hashed.Content, host);
            var prior = EarlierIngest(hashed.Content, host);
            var replacePrior = ReplacesPrior(prior?.Prior, format, out var duplicate);
            if (duplicate)
            {
                return new FileResult(path, format, 0, 0, 0, true);
            }
            var ctx = p.Context!;
            try
            {
                sink.Atomically(() =>
                {
                    if (replacePrior)
                    {
                        sink.ForgetFile(prior!.Value.Key);
                    }
                    foreach (var earlierHash in hashed.PrefixOf)
                    {
                        sink.ForgetFile(earlierHash);
                    }
                    foreach (var batch in p.Queue.GetConsumingEnumerable())
                    {
                        foreach (var call in batch)
                        {
                            call(sink);
                        }
                    }
                    p.Failure?.Throw();
                    sink.Rekey(p.Placeholder, hash);
                    sink.Add(new IngestFile(hash, path, format, ctx.Host, ctx.Records, ctx.Skipped, ctx.Quarantined, Now()));
                    sink.RecordBytes(hash, hashed.Bytes);
                });
            }
            catch (Exception ex) when (ex is IngestException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                return new FileResult(path, format, 0, 0, 0, false, ex.Message);
            }
            return ctx.Result();
        }
        finally
        {
            p.Abandon();
        }
    }

    /// <summary>A file being read ahead: its hash, its parse's sink calls (bounded), and how it ended.</summary>
    private sealed class Prefetch
    {
        public Prefetch(string placeholder)
        {
            Placeholder = placeholder;
            Recorder = new RecordingSink(this);
        }

        public string Placeholder { get; }

        public RecordingSink Recorder { get; }

        public FileContext? Context { get; set; }

        public Task? Worker { get; set; }

        public TaskCompletionSource<(string Content, long Bytes, List<string> PrefixOf)> Hashed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public BlockingCollection<List<Action<IIngestSink>>> Queue { get; } = new(PrefetchBatches);

        public ExceptionDispatchInfo? Failure { get; set; }

        public volatile bool Abandoned;

        /// <summary>Stops the worker (its next sink call throws) and waits for it; what it queued is dropped.</summary>
        public void Abandon()
        {
            Abandoned = true;
            while (Worker is { IsCompleted: false })
            {
                while (Queue.TryTake(out _))
                {
                }
                Worker.Wait(10);
            }
            while (Queue.TryTake(out _))
            {
            }
        }
    }

    /// <summary>The sink a prefetched file is parsed into: it queues each call, in order, for the store's thread.</summary>
    private sealed class RecordingSink(Prefetch owner) : IIngestSink
    {
        private List<Action<IIngestSink>> _batch = new(PrefetchBatch);

        public void Add<T>(T row) where T : notnull => Queue(s => s.Add(row));

        public void AddHostEvents(string host, string source, ReadOnlySpan<HostEventEntry> events)
        {
            var copy = events.ToArray();
            Queue(s => s.AddHostEvents(host, source, copy));
        }

        public void AddHostCounter(string source, HostCounter row) => Queue(s => s.AddHostCounter(source, row));

        public void AddQuote(string source, in Quote row)
        {
            var r = row;
            Queue(s => s.AddQuote(source, r));
        }

        public void AddTrade(string source, in Trade row)
        {
            var r = row;
            Queue(s => s.AddTrade(source, r));
        }

        public void Flush()
        {
            if (_batch.Count > 0)
            {
                Hand(_batch);
                _batch = new List<Action<IIngestSink>>(PrefetchBatch);
            }
        }

        private void Queue(Action<IIngestSink> call)
        {
            _batch.Add(call);
            if (_batch.Count == PrefetchBatch)
            {
                Flush();
            }
        }

        private void Hand(List<Action<IIngestSink>> batch)
        {
            while (!owner.Queue.TryAdd(batch, 50))
            {
                ObjectDisposedException.ThrowIf(owner.Abandoned, this);
            }
            ObjectDisposedException.ThrowIf(owner.Abandoned, this);
        }

        public bool ContainsFile(string contentHash) => throw new NotSupportedException("a prefetched parse does not read the store");

        public void Atomically(Action work) => throw new NotSupportedException("a prefetched parse does not open units");

        public long ImportParquet(string path, string table) => throw new NotSupportedException("Parquet is not prefetched");
    }
}
