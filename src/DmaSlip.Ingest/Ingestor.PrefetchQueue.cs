using System.Buffers;
using System.Runtime.CompilerServices;
using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest;

/// <summary>What a read-ahead parse queues for the store's thread (see <see cref="Ingestor"/>'s Prefetch).</summary>
public sealed partial class Ingestor
{
    /// <summary>
    /// The sink a prefetched file is parsed into: it queues each call, in order, for the store's thread. The bulk rows
    /// (counters, quotes, trades: the parser's batches) are queued as typed batches, copied into pooled arrays that the
    /// replay returns; other calls as a closure each, a list of them per queue item.
    /// </summary>
    private sealed class RecordingSink(Prefetch owner) : IIngestSink
    {
        private List<object> _calls = new(PrefetchBatch);

        /// <summary>Calls queued other than row batches (each may carry the placeholder identity).</summary>
        public long QueuedCalls { get; private set; }

        /// <summary>
        /// Makes the queued calls of one queue item on <paramref name="sink"/>, in order; row batches under
        /// <paramref name="source"/> when given (the file's real source, known before the replay), else their own.
        /// </summary>
        public static void Replay(object item, IIngestSink sink, string? source)
        {
            switch (item)
            {
                case IRowBatch batch:
                    batch.Replay(sink, source);
                    break;
                case List<object> calls:
                    foreach (var call in calls)
                    {
                        ((Action<IIngestSink>)call)(sink);
                    }
                    break;
                default:
                    throw new InvalidOperationException($"unexpected prefetch item {item.GetType().Name}");
            }
        }

        /// <summary>Returns the pooled arrays of items not replayed (an abandoned prefetch).</summary>
        public static void Drop(object item) => (item as IRowBatch)?.Return();

        public void Add<T>(T row) where T : notnull => Queue(new Action<IIngestSink>(s => s.Add(row)));

        public void AddHostEvents(string host, string source, ReadOnlySpan<HostEventEntry> events)
        {
            var copy = events.ToArray();
            Queue(new Action<IIngestSink>(s => s.AddHostEvents(host, source, copy)));
        }

        public void AddHostCounters(string source, ReadOnlySpan<HostCounterEntry> rows) => QueueRows(source, rows, static (s, src, r) => s.AddHostCounters(src, r));

        public void AddQuotes(string source, ReadOnlySpan<Quote> rows) => QueueRows(source, rows, static (s, src, r) => s.AddQuotes(src, r));

        public void AddTrades(string source, ReadOnlySpan<Trade> rows) => QueueRows(source, rows, static (s, src, r) => s.AddTrades(src, r));

        public void Flush()
        {
            if (_calls.Count > 0)
            {
                Hand(_calls);
                _calls = new List<object>(PrefetchBatch);
            }
        }

        /// <summary>Queues a batch of bulk rows, after the calls queued before it.</summary>
        private void QueueRows<T>(string source, ReadOnlySpan<T> rows, RowsTo<T> add)
        {
            if (rows.IsEmpty)
            {
                return;
            }
            Flush();
            var batch = new RowBatch<T>(source, rows, add);
            try
            {
                Hand(batch);
            }
            catch
            {
                batch.Return();
                throw;
            }
        }

        private void Queue(object call)
        {
            QueuedCalls++;
            _calls.Add(call);
            if (_calls.Count == PrefetchBatch)
            {
                Flush();
            }
        }

        private void Hand(object item)
        {
            while (!owner.Queue.TryAdd(item, 50))
            {
                ObjectDisposedException.ThrowIf(owner.Abandoned, this);
            }
            ObjectDisposedException.ThrowIf(owner.Abandoned, this);
        }

        public bool ContainsFile(string contentHash) => throw new NotSupportedException("a prefetched parse does not read the store");

        public void Atomically(Action work) => throw new NotSupportedException("a prefetched parse does not open units");

        public long ImportParquet(string path, string table) => throw new NotSupportedException("Parquet is not prefetched");
    }

    /// <summary>Hands a batch of rows to the sink method of its kind.</summary>
    private delegate void RowsTo<T>(IIngestSink sink, string source, ReadOnlySpan<T> rows);

    /// <summary>A queued batch of bulk rows, whatever its row type.</summary>
    private interface IRowBatch
    {
        /// <summary>Hands the rows to <paramref name="sink"/> (under <paramref name="source"/> when given, else their own) and returns the array.</summary>
        void Replay(IIngestSink sink, string? source);

        void Return();
    }

    /// <summary>A parser's batch of bulk rows of one file source, in an array rented from the shared pool.</summary>
    private sealed class RowBatch<T> : IRowBatch
    {
        private T[]? _rows;
        private readonly int _count;
        private readonly string _source;
        private readonly RowsTo<T> _add;

        public RowBatch(string source, ReadOnlySpan<T> rows, RowsTo<T> add)
        {
            _source = source;
            _add = add;
            _rows = ArrayPool<T>.Shared.Rent(rows.Length);
            rows.CopyTo(_rows);
            _count = rows.Length;
        }

        public void Replay(IIngestSink sink, string? source)
        {
            _add(sink, source ?? _source, _rows.AsSpan(0, _count));
            Return();
        }

        public void Return()
        {
            if (_rows is not null)
            {
                // the rows hold strings: cleared, so the pool does not keep them alive
                ArrayPool<T>.Shared.Return(_rows, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                _rows = null;
            }
        }
    }
}
