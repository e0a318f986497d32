using DmaSlip.Fleet.Spool;
using NATS.Client.JetStream;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// Drains a <see cref="MessageSpool"/> into JetStream strictly in order: publish the oldest message with its
/// <c>Nats-Msg-Id</c>, wait for the PubAck, then remove it. Any failure (broker down, no stream leader during an
/// election, timeout) leaves the message at the head and retries with capped backoff, so an outage just grows the
/// spool. A retry of a message the broker did store (ack lost) is absorbed by the stream's duplicate window.
/// </summary>
public sealed class SpoolPublisher(INatsJSContext js, MessageSpool spool, TimeSpan publishTimeout)
{
    private long _published;
    private long _duplicates;
    private long _failures;

    public long Published => Interlocked.Read(ref _published);

    /// <summary>PubAcks that said "duplicate" (a retry of a message the stream already had).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Failures => Interlocked.Read(ref _failures);

    public string? LastError { get; private set; }

    /// <summary>Invoked after each successful PubAck with the entry (used by the load bench for latency).</summary>
    public Action<SpoolEntry>? OnStored { get; init; }

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(25);
        var opts = new NatsJSPubOpts { RetryAttempts = 1 };
        while (!ct.IsCancellationRequested)
        {
            SpoolEntry entry;
            try
            {
                entry = await spool.PeekAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(publishTimeout);
                var duplicate = false;
                try
                {
                    var ack = await js.PublishAsync(entry.Subject, entry.Payload, opts: opts with { MsgId = entry.MessageId }, cancellationToken: timeout.Token).ConfigureAwait(false);
                    duplicate = ack.Duplicate;
                    ack.EnsureSuccess();
                }
                catch (NatsJSDuplicateMessageException)
                {
                    // The stream already holds this message (an earlier attempt was stored but its ack was lost):
                    // for an in-order sender that is success.
                    duplicate = true;
                }
                if (duplicate)
                {
                    Interlocked.Increment(ref _duplicates);
                }
                spool.Remove(entry);
                Interlocked.Increment(ref _published);
                OnStored?.Invoke(entry);
                backoff = TimeSpan.FromMilliseconds(25);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // every broker-side failure means "keep it spooled and retry"
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failures);
                LastError = ex.GetType().Name + ": " + ex.Message;
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }
}
