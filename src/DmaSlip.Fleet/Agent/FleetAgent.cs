using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Spool;
using DmaSlip.Fleet.Wire;
using NATS.Client.JetStream;

namespace DmaSlip.Fleet.Agent;

/// <summary>What one agent run did.</summary>
public sealed record AgentReport(
    string Host,
    string Boot,
    long Windows,
    long Frames,
    long RegimeChanges,
    long Published,
    long DuplicateAcks,
    long PublishFailures,
    long DroppedOldest,
    long DroppedNewest,
    int Unsent,
    int RecoveredFromSpool,
    string? LastError);

/// <summary>
/// The per-host agent: frame source → local regime controller → frame batches and regime changes into the spool →
/// <see cref="SpoolPublisher"/> → JetStream (<c>dmaslip.frames.&lt;pool&gt;.&lt;host&gt;</c>,
/// <c>dmaslip.regimes.&lt;pool&gt;.&lt;host&gt;</c>). Sampling never waits for the broker unless the spool is full and
/// the policy is <see cref="SpoolOverflow.Block"/>. A frame batch carries the frames of up to
/// <see cref="WindowsPerMessage"/> consecutive windows with the regime and signals after the last of them; a regime
/// change is queued at once and sends the windows held so far (the one that changed it included) right behind it, and
/// the end of the run sends what is held.
/// </summary>
public sealed class FleetAgent(string host, string pool, IFrameSource source, IRegimeTracker tracker, MessageSpool spool, TimeProvider time)
{
    private readonly string _host = FleetNames.RequireToken(host, "host");
    private readonly string _pool = FleetNames.RequireToken(pool, "pool");
    private long _windows;
    private long _frames;
    private long _changes;
    private readonly List<HostFrame> _held = [];
    private int _heldWindows;
    private ulong _batchSeq;
    private ulong _changeSeq;

    public long Windows => Interlocked.Read(ref _windows);

    /// <summary>
    /// Windows per frame-batch message (default 1). The live agent sends a second's windows in one message: each
    /// message costs a publish and a PubAck round trip, the agent's largest per-window cost (docs/PERFORMANCE.md).
    /// </summary>
    public int WindowsPerMessage
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1;

    /// <summary>
    /// Runs until the source ends or <paramref name="ct"/> fires, then waits up to <paramref name="drainTimeout"/>
    /// for the spool to empty (what is left stays in the disk spool for the next run). <paramref name="abandon"/> also
    /// ends the drain at once (the broker was given up on, <see cref="Resilience.AgentSession"/>).
    /// </summary>
    public async Task<AgentReport> RunAsync(INatsJSContext js, TimeSpan drainTimeout, CancellationToken ct, CancellationToken abandon = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        var recovered = spool.Recovered;
        var publisher = new SpoolPublisher(js, spool, TimeSpan.FromSeconds(2));
        using var stopPublisher = new CancellationTokenSource();
        var publishing = publisher.RunAsync(stopPublisher.Token);
        // The sampling loop gets its own thread: a live source blocks it between ticks and every step of a window
        // completes synchronously, so a tick wakes one thread, not a timer thread and a pool worker (an await that does
        // not complete at once — a replay's queue, a full spool under "block" — moves the rest to the pool, correctly).
        // Giving up on the broker stops sampling too.
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct, abandon);
        await Task.Factory.StartNew(() => SampleAsync(sampling.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .Unwrap().ConfigureAwait(false);
        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(abandon))
        {
            drain.CancelAfter(drainTimeout);
            try
            {
                await SendHeldAsync(drain.Token).ConfigureAwait(false);
                await spool.DrainAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // left in the spool; the next run sends it first
            }
        }
        await stopPublisher.CancelAsync().ConfigureAwait(false);
        await publishing.ConfigureAwait(false);
        return new AgentReport(_host, source.Boot, Windows, Interlocked.Read(ref _frames), Interlocked.Read(ref _changes),
            publisher.Published, publisher.Duplicates, publisher.Failures, spool.DroppedOldest, spool.DroppedNewest, spool.Count,
            recovered, publisher.LastError);
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var window in source.ReadAsync(ct).ConfigureAwait(false))
            {
                var changed = tracker.Observe(window, out var transition);
                if (changed)
                {
                    var change = new RegimeChange(_host, _pool, source.Boot, ++_changeSeq, UnixTime.Nanoseconds(time), transition, tracker.Signals);
                    await spool.AddAsync(new SpoolEntry(FleetNames.RegimesSubject(_pool, _host), change.MessageId, FleetCodec.Encode(change)), ct).ConfigureAwait(false);
                    Interlocked.Increment(ref _changes);
                }
                // the source's lists may be reused for its next window: hold the frames themselves
                _held.AddRange(window.Frames);
                _heldWindows++;
                if (changed || _heldWindows >= WindowsPerMessage)
                {
                    await SendHeldAsync(ct).ConfigureAwait(false);
                }
                Interlocked.Increment(ref _windows);
                Interlocked.Add(ref _frames, window.Frames.Count);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // --duration elapsed, the process is stopping or the broker was given up on: drain what was produced.
        }
    }

    // The held windows as one frame batch, with the regime and signals after the last of them.
    private async Task SendHeldAsync(CancellationToken ct)
    {
        if (_heldWindows == 0)
        {
            return;
        }
        var batch = new FrameBatch(_host, _pool, source.Boot, ++_batchSeq, UnixTime.Nanoseconds(time), tracker.Current, tracker.Signals, _held);
        var entry = new SpoolEntry(FleetNames.FramesSubject(_pool, _host), batch.MessageId, FleetCodec.Encode(batch));
        _held.Clear();
        _heldWindows = 0;
        await spool.AddAsync(entry, ct).ConfigureAwait(false);
    }
}
