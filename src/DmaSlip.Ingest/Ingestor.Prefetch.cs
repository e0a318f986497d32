using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest;

public sealed partial class Ingestor
{
    /// <summary>Items a prefetched file may hold ahead of the store: batches of rows (up to 4,096) or of <see cref="PrefetchBatch"/> other sink calls.</summary>
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
        var alongside = false;
        try
        {
            var length = new FileInfo(path).Length;
            earlier = sink.EarlierIngestsOf(path, length);
            // as IngestOne: a large file no earlier ingest can match is hashed while it is parsed, checked at the end
            alongside = length >= HashAlongsideBytes && earlier.Count == 0 && !sink.MayHoldContentOf(length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            earlier = [];
        }
        var placeholder = "pending" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(29))[..57];
        var p = new Prefetch(placeholder) { HashAlongside = alongside };
        p.Context = new FileContext(p.Recorder, path, placeholder, format, host, SnapshotTs(path)) { Device = options.Device };
        void Hash()
        {
            try
            {
                p.Hashed.SetResult(HashFile(path, earlier, host));
            }
            catch (Exception ex)
            {
                p.Hashed.SetException(ex);
            }
        }
        if (alongside)
        {
            p.Hasher = Task.Factory.StartNew(Hash, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        p.Worker = Task.Factory.StartNew(() =>
        {
            if (!alongside)
            {
                Hash();
                if (!p.Hashed.Task.IsCompletedSuccessfully)
                {
                    p.Queue.CompleteAdding();
                    return;
                }
            }
            // the parse has slack (a bounded queue ahead of the store's thread, which is the critical path): it yields
            // the core to that thread under load, as the trace parse's helpers do; the hash stays at the normal priority
            HelperThreads.Yield();
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
            (string Content, long Bytes, List<string> PrefixOf) hashed = ("", 0, []);
            (string Key, (string Format, long Records) Prior)? prior = null;
            var replacePrior = false;
            if (!p.HashAlongside)
            {
                try
                {
                    hashed = p.Hashed.Task.GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return new FileResult(path, format, 0, 0, 0, false, $"cannot read: {ex.Message}");
                }
                prior = EarlierIngest(hashed.Content, host);
                replacePrior = ReplacesPrior(prior?.Prior, format, out var duplicate);
                if (duplicate)
                {
                    return new FileResult(path, format, 0, 0, 0, true);
                }
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
                    // hashed before its turn: the row batches go in under the real identity already; only what else
                    // the parse queued (quarantine rows, host events) still carries the placeholder and is renamed
                    var source = p.HashAlongside ? null : FileContext.SourceOf(Identity(hashed.Content, host));
                    foreach (var item in p.Queue.GetConsumingEnumerable())
                    {
                        RecordingSink.Replay(item, sink, source);
                    }
                    p.Failure?.Throw();
                    if (p.HashAlongside)
                    {
                        // hashed while parsed: found ingested after all, the unit is rolled back (as IngestHashingAlongside)
                        hashed = p.Hashed.Task.GetAwaiter().GetResult();
                        prior = EarlierIngest(hashed.Content, host);
                        if (ReplacesPrior(prior?.Prior, format, out var duplicate))
                        {
                            sink.ForgetFile(prior!.Value.Key);
                        }
                        else if (duplicate)
                        {
                            throw new DuplicateContentException();
                        }
                    }
                    var hash = Identity(hashed.Content, host);
                    if (source is null || p.Recorder.QueuedCalls > 0)
                    {
                        sink.Rekey(p.Placeholder, hash);
                    }
                    sink.Add(new IngestFile(hash, path, format, ctx.Host, ctx.Records, ctx.Skipped, ctx.Quarantined, Now()));
                    sink.RecordBytes(hash, hashed.Bytes);
                });
            }
            catch (DuplicateContentException)
            {
                return new FileResult(path, format, 0, 0, 0, true);
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

        /// <summary>The hash running beside the parse (<see cref="HashAlongside"/>), else null: the worker hashes first.</summary>
        public Task? Hasher { get; set; }

        /// <summary>The content is hashed while it is parsed and checked against earlier ingests at the end of its unit.</summary>
        public bool HashAlongside { get; init; }

        public TaskCompletionSource<(string Content, long Bytes, List<string> PrefixOf)> Hashed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The parse's sink calls: typed row batches, and lists of other calls.</summary>
        public BlockingCollection<object> Queue { get; } = new(PrefetchBatches);

        public ExceptionDispatchInfo? Failure { get; set; }

        public volatile bool Abandoned;

        /// <summary>Stops the worker (its next sink call throws) and waits for it; what it queued is dropped.</summary>
        public void Abandon()
        {
            Abandoned = true;
            while (Worker is { IsCompleted: false })
            {
                while (Queue.TryTake(out var item))
                {
                    RecordingSink.Drop(item);
                }
                Worker.Wait(10);
            }
            while (Queue.TryTake(out var rest))
            {
                RecordingSink.Drop(rest);
            }
            // a hash still reading the file ends before the file is left for good (its result is not wanted)
            try
            {
                Hasher?.Wait();
            }
            catch (AggregateException)
            {
            }
        }
    }
}
