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
/// the policy is <see cref="SpoolOverflow.Block"/>.
/// </summary>
public sealed class FleetAgent(string host, string pool, IFrameSource source, IRegimeTracker tracker, MessageSpool spool, TimeProvider time)
{
    private readonly string _host = FleetNames.RequireToken(host, "host");
    private readonly string _pool = FleetNames.RequireToken(pool, "pool");
    private long _windows;
    private long _frames;
    private long _changes;

    public long Windows => Interlocked.Read(ref _windows);

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
        ulong batchSeq = 0, changeSeq = 0;
        try
        {
            await foreach (var window in source.ReadAsync(ct).ConfigureAwait(false))
            {
                var sent = UnixTime.Nanoseconds(time);
                if (tracker.Observe(window, out var transition))
                {
                    var change = new RegimeChange(_host, _pool, source.Boot, ++changeSeq, sent, transition, tracker.Signals);
                    await spool.AddAsync(new SpoolEntry(FleetNames.RegimesSubject(_pool, _host), change.MessageId, FleetCodec.Encode(change)), ct).ConfigureAwait(false);
                    Interlocked.Increment(ref _changes);
                }
                var batch = new FrameBatch(_host, _pool, source.Boot, ++batchSeq, sent, tracker.Current, tracker.Signals, window.Frames);
                await spool.AddAsync(new SpoolEntry(FleetNames.FramesSubject(_pool, _host), batch.MessageId, FleetCodec.Encode(batch)), ct).ConfigureAwait(false);
                Interlocked.Increment(ref _windows);
                Interlocked.Add(ref _frames, window.Frames.Count);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // --duration elapsed or the process is stopping: drain what was produced.
        }
        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(abandon))
        {
            drain.CancelAfter(drainTimeout);
            try
            {
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
}
