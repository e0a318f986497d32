namespace DmaSlip.Fleet.Spool;

/// <summary>
/// The agent's bounded FIFO of messages not yet acknowledged by JetStream: the producer (sampling loop) adds, the
/// publisher peeks the oldest, publishes it and removes it only after the PubAck. Order is kept; when the broker is
/// unreachable messages accumulate here (and on disk when a directory is given) up to the capacity, after which the
/// <see cref="SpoolOverflow"/> policy the caller chose applies. One producer and one consumer.
/// </summary>
public sealed class MessageSpool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<SpoolEntry> _queue = new();
    private readonly SpoolLog? _log;
    private readonly SpoolOptions _options;
    private TaskCompletionSource _changed = NewSignal();
    private long _droppedOldest;
    private long _droppedNewest;
    private bool _disposed;

    public MessageSpool(SpoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        _options = options;
        if (options.Directory is not null)
        {
            _log = SpoolLog.Open(options.Directory, out var pending);
            foreach (var e in pending)
            {
                _queue.AddLast(e);
            }
            Recovered = pending.Count;
        }
    }

    /// <summary>Messages found unsent on disk when the spool was opened (they are sent first).</summary>
    public int Recovered { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public long DroppedOldest => Interlocked.Read(ref _droppedOldest);

    public long DroppedNewest => Interlocked.Read(ref _droppedNewest);

    /// <summary>Adds a message; returns false when the drop-newest policy discarded it.</summary>
    public async ValueTask<bool> AddAsync(SpoolEntry entry, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_queue.Count < _options.Capacity)
                {
                    _log?.Append(entry);
                    _queue.AddLast(entry);
                    Signal();
                    return true;
                }
                switch (_options.Overflow)
                {
                    case SpoolOverflow.DropNewest:
                        _droppedNewest++;
                        return false;
                    case SpoolOverflow.DropOldest:
                        _queue.RemoveFirst();
                        _droppedOldest++;
                        _log?.Advance(1, _queue, _options.CompactBytes);
                        continue;
                    default:
                        wait = _changed.Task;
                        break;
                }
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The oldest unsent message, waiting until there is one.</summary>
    public async ValueTask<SpoolEntry> PeekAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_queue.First is { } first)
                {
                    return first.Value;
                }
                wait = _changed.Task;
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes <paramref name="sent"/> if it is still the oldest (drop-oldest may have removed it meanwhile).</summary>
    public void Remove(SpoolEntry sent)
    {
        lock (_gate)
        {
            if (_queue.First is { } first && ReferenceEquals(first.Value, sent))
            {
                _queue.RemoveFirst();
                _log?.Advance(1, _queue, _options.CompactBytes);
                Signal();
            }
        }
    }

    /// <summary>Waits until every message has been sent (or the token fires).</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    return;
                }
                wait = _changed.Task;
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _log?.Dispose();
            Signal();
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
