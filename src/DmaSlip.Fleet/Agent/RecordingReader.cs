using System.Collections.Concurrent;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// Reads the files of a recording together, in time order, with bounded memory: each file goes through ingest's
/// parser (<see cref="Ingestor"/>, the same as <c>dmaslip ingest</c>) on its own thread into a bounded queue, and
/// <see cref="Read"/> merges the queues' heads by timestamp. A parser that runs ahead waits for the merge, so what is
/// held is at most <see cref="QueueCapacity"/> records per file, whatever the recording's length. Records the parsers
/// quarantine and files that fail are listed in <see cref="Rejected"/> (file, offset, reason). Rows are used as they
/// come: a file that fails half-way has given its first half.
/// </summary>
internal sealed class RecordingReader : IDisposable
{
    /// <summary>Records held per file at most.</summary>
    public const int QueueCapacity = 4096;

    private readonly List<Lane> _lanes = [];
    private readonly CancellationTokenSource _stop = new();

    private sealed class Lane(string path)
    {
        public readonly string Path = path;
        public readonly BlockingCollection<object> Queue = new(QueueCapacity);
        public object? Head;
        public long HeadTs;
        public bool Done;
        public Thread? Thread;
    }

    public RecordingReader(IEnumerable<string> files, string host)
    {
        foreach (var file in files)
        {
            var lane = new Lane(file);
            _lanes.Add(lane);
            lane.Thread = new Thread(() => Produce(lane, host)) { IsBackground = true, Name = "replay " + System.IO.Path.GetFileName(file) };
        }
        foreach (var lane in _lanes)
        {
            lane.Thread!.Start();
        }
    }

    /// <summary>Records and files not used (file, offset, reason); read after (or during) <see cref="Read"/>.</summary>
    public ConcurrentQueue<string> Rejected { get; } = new();

    /// <summary>
    /// The rows of every file (<see cref="HostCounter"/>, <see cref="HostEventRow"/>) in timestamp order (ties: file
    /// order); <paramref name="laneOf"/> gets the index of the file each came from, <paramref name="laneDone"/> is
    /// called when a file has given its last row.
    /// </summary>
    public IEnumerable<object> Read(Action<int> laneOf, Action<int> laneDone)
    {
        for (var i = 0; i < _lanes.Count; i++)
        {
            Refill(i, laneDone);
        }
        while (true)
        {
            var best = -1;
            for (var i = 0; i < _lanes.Count; i++)
            {
                if (!_lanes[i].Done && (best < 0 || _lanes[i].HeadTs < _lanes[best].HeadTs))
                {
                    best = i;
                }
            }
            if (best < 0)
            {
                yield break;
            }
            var row = _lanes[best].Head!;
            laneOf(best);
            yield return row;
            Refill(best, laneDone);
        }
    }

    /// <summary>The earliest timestamp any file may still give (long.MaxValue when all are done).</summary>
    public long PendingFromNs
    {
        get
        {
            var min = long.MaxValue;
            foreach (var lane in _lanes)
            {
                if (!lane.Done)
                {
                    min = Math.Min(min, lane.HeadTs);
                }
            }
            return min;
        }
    }

    private void Refill(int i, Action<int> laneDone)
    {
        var lane = _lanes[i];
        while (true)
        {
            if (!lane.Queue.TryTake(out var item, Timeout.Infinite, _stop.Token))
            {
                lane.Done = true;
                lane.Head = null;
                laneDone(i);
                return;
            }
            switch (item)
            {
                case HostCounter c:
                    (lane.Head, lane.HeadTs) = (c, c.TsNs);
                    return;
                case HostEventRow e:
                    (lane.Head, lane.HeadTs) = (e, e.TsNs);
                    return;
                default:
                    continue;
            }
        }
    }

    private void Produce(Lane lane, string host)
    {
        try
        {
            var sink = new LaneSink(lane.Queue, Rejected, _stop.Token);
            var results = new Ingestor(sink, new IngestOptions { Host = host }, TimeProvider.System).Ingest([lane.Path]);
            foreach (var r in results)
            {
                if (r.Error is not null)
                {
                    Rejected.Enqueue($"{r.Path}: {r.Error}");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the replay stopped before this file was read through
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or IngestException)
        {
            Rejected.Enqueue($"{lane.Path}: {ex.Message}");
        }
        finally
        {
            lane.Queue.CompleteAdding();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var lane in _lanes)
        {
            lane.Thread?.Join();
            lane.Queue.Dispose();
        }
        _stop.Dispose();
    }

    /// <summary>An ingest sink that hands rows on as they are parsed (no unit buffering: a replay stores nothing).</summary>
    private sealed class LaneSink(BlockingCollection<object> queue, ConcurrentQueue<string> rejected, CancellationToken ct) : IIngestSink
    {
        public bool ContainsFile(string contentHash) => false;

        public void Atomically(Action work) => work();

        public void Add<T>(T row)
            where T : notnull
        {
            switch (row)
            {
                case HostCounter or HostEventRow:
                    queue.Add(row, ct);
                    break;
                case QuarantineRecord q:
                    rejected.Enqueue($"{q.Path} offset {q.Offset}: {q.Reason}");
                    break;
                default:
                    break; // ingest_files rows, warnings: a replay keeps nothing else
            }
        }

        public long ImportParquet(string path, string table) => throw new IngestException($"{path}: a replay reads recorded text files, not Parquet exports");
    }
}
