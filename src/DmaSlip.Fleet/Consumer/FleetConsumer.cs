using System.Threading.Channels;
using DmaSlip.Fleet.Wire;
using NATS.Client.JetStream;

namespace DmaSlip.Fleet.Consumer;

/// <summary>
/// Pulls frame batches and regime changes from the service's durable consumers in batches, hands each batch to the
/// <see cref="IFleetSink"/> (which commits), and only then acknowledges. Any failure (store, broker, leader
/// election) skips the acks; JetStream redelivers after AckWait and the idempotent store absorbs repeats.
/// </summary>
/// <remarks>
/// <paramref name="linger"/>: after the first message of a commit arrives, wait this long for more before
/// committing. A store commit has a large fixed cost (DuckDB: ~10 ms CPU for a transaction with staging merge, vs
/// ~8 µs per frame row; <c>fleet-store</c> bench), so at thousands of messages per second committing whatever has
/// trickled in would spend the CPU on commits; a short linger bounds the commit rate at ~1/linger and adds at most
/// that much to publish→stored latency. Zero commits at once.
/// </remarks>
public sealed class FleetConsumer(INatsJSConsumer frames, INatsJSConsumer regimes, IFleetSink sink, int batchSize = 1000, TimeSpan linger = default)
{
    private long _frameBatches;
    private long _regimeChanges;
    private long _quarantined;
    private long _errors;

    public long FrameBatches => Interlocked.Read(ref _frameBatches);

    public long RegimeChanges => Interlocked.Read(ref _regimeChanges);

    public long Quarantined => Interlocked.Read(ref _quarantined);

    public long Errors => Interlocked.Read(ref _errors);

    public string? LastError { get; private set; }

    /// <summary>Called after each committed frame fetch with the batches (for metrics and live state).</summary>
    public Action<IReadOnlyList<FrameBatch>>? OnFramesCommitted { get; init; }

    public Action<IReadOnlyList<RegimeChange>>? OnRegimesCommitted { get; init; }

    public Task RunAsync(CancellationToken ct) =>
        Task.WhenAll(
            LoopAsync<FrameBatch>(frames, Decode, b => { sink.CommitFrames(b); Interlocked.Add(ref _frameBatches, b.Count); OnFramesCommitted?.Invoke(b); }, ct),
            LoopAsync<RegimeChange>(regimes, Decode, c => { sink.CommitRegimes(c); Interlocked.Add(ref _regimeChanges, c.Count); OnRegimesCommitted?.Invoke(c); }, ct));

    private static bool Decode(ReadOnlySpan<byte> data, out FrameBatch? value, out DecodeError error) => FleetCodec.TryDecode(data, out value, out error);

    private static bool Decode(ReadOnlySpan<byte> data, out RegimeChange? value, out DecodeError error) => FleetCodec.TryDecode(data, out value, out error);

    private delegate bool Decoder<T>(ReadOnlySpan<byte> data, out T? value, out DecodeError error);

    private async Task LoopAsync<T>(INatsJSConsumer consumer, Decoder<T> decode, Action<IReadOnlyList<T>> commit, CancellationToken ct)
        where T : class
    {
        var messages = new List<INatsJSMsg<byte[]>>(batchSize);
        var decoded = new List<T>(batchSize);
        var bad = new List<bool>(batchSize);
        while (!ct.IsCancellationRequested)
        {
            // A pump keeps a continuous pull open (ConsumeAsync re-pulls, heartbeats and reconnects by itself);
            // the commit loop takes whatever has arrived, up to batchSize, so a quiet stream commits each message
            // at once and a busy one commits in large batches.
            var channel = Channel.CreateBounded<INatsJSMsg<byte[]>>(new BoundedChannelOptions(batchSize * 2) { SingleReader = true, SingleWriter = true });
            using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var pump = PumpAsync(consumer, channel.Writer, pumpStop.Token);
            try
            {
                while (await channel.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                {
                    if (linger > TimeSpan.Zero && channel.Reader.Count < batchSize)
                    {
                        await Task.Delay(linger, ct).ConfigureAwait(false);
                    }
                    messages.Clear();
                    while (messages.Count < batchSize && channel.Reader.TryRead(out var m))
                    {
                        messages.Add(m);
                    }
                    await ProcessAsync(messages, decoded, bad, decode, commit, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // broker or store trouble: no acks, redelivery later, keep consuming
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _errors);
                LastError = ex.GetType().Name + ": " + ex.Message;
            }
            finally
            {
                await pumpStop.CancelAsync().ConfigureAwait(false);
                await pump.ConfigureAwait(false);
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PumpAsync(INatsJSConsumer consumer, ChannelWriter<INatsJSMsg<byte[]>> writer, CancellationToken ct)
    {
        try
        {
            var opts = new NatsJSConsumeOpts { MaxMsgs = batchSize * 2 };
            await foreach (var msg in consumer.ConsumeAsync<byte[]>(opts: opts, cancellationToken: ct).ConfigureAwait(false))
            {
                await writer.WriteAsync(msg, ct).ConfigureAwait(false);
            }
            writer.TryComplete(new InvalidOperationException("the consume loop ended"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            writer.TryComplete();
        }
#pragma warning disable CA1031 // handed to the commit loop, which records it and restarts
        catch (Exception ex)
#pragma warning restore CA1031
        {
            writer.TryComplete(ex);
        }
    }

    private async Task ProcessAsync<T>(List<INatsJSMsg<byte[]>> messages, List<T> decoded, List<bool> bad, Decoder<T> decode, Action<IReadOnlyList<T>> commit, CancellationToken ct)
        where T : class
    {
        decoded.Clear();
        bad.Clear();
        foreach (var msg in messages)
        {
            var data = msg.Data ?? [];
            if (decode(data, out var value, out var error))
            {
                decoded.Add(value!);
                bad.Add(false);
            }
            else
            {
                sink.Quarantine(msg.Subject, msg.Metadata?.Sequence.Stream ?? 0, error.ToString(), data);
                bad.Add(true);
            }
        }
        if (decoded.Count > 0)
        {
            commit(decoded);
        }
        // Acks only after the commit returned: a crash before this line means redelivery, never loss.
        for (var i = 0; i < messages.Count; i++)
        {
            if (bad[i])
            {
                await messages[i].AckTerminateAsync(cancellationToken: ct).ConfigureAwait(false);
                Interlocked.Increment(ref _quarantined);
            }
            else
            {
                await messages[i].AckAsync(cancellationToken: ct).ConfigureAwait(false);
            }
        }
    }
}
