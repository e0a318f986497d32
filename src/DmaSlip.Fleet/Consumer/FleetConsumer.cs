using DmaSlip.Fleet.Wire;
using NATS.Client.JetStream;

namespace DmaSlip.Fleet.Consumer;

/// <summary>
/// Pulls frame batches and regime changes from the service's durable consumers in batches, hands each batch to the
/// <see cref="IFleetSink"/> (which commits), and only then acknowledges. Any failure (store, broker, leader
/// election) skips the acks; JetStream redelivers after AckWait and the idempotent store absorbs repeats.
/// </summary>
public sealed class FleetConsumer(INatsJSConsumer frames, INatsJSConsumer regimes, IFleetSink sink, int batchSize = 1000)
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
        var fetch = new NatsJSFetchOpts { MaxMsgs = batchSize, Expires = TimeSpan.FromSeconds(1) };
        var messages = new List<INatsJSMsg<byte[]>>(batchSize);
        var decoded = new List<T>(batchSize);
        var bad = new List<INatsJSMsg<byte[]>>();
        while (!ct.IsCancellationRequested)
        {
            messages.Clear();
            decoded.Clear();
            bad.Clear();
            try
            {
                await foreach (var msg in consumer.FetchAsync<byte[]>(fetch, cancellationToken: ct).ConfigureAwait(false))
                {
                    messages.Add(msg);
                }
                if (messages.Count == 0)
                {
                    continue;
                }
                foreach (var msg in messages)
                {
                    var data = msg.Data ?? [];
                    if (decode(data, out var value, out var error))
                    {
                        decoded.Add(value!);
                    }
                    else
                    {
                        sink.Quarantine(msg.Subject, msg.Metadata?.Sequence.Stream ?? 0, error.ToString(), data);
                        bad.Add(msg);
                    }
                }
                if (decoded.Count > 0)
                {
                    commit(decoded);
                }
                foreach (var msg in messages)
                {
                    if (bad.Contains(msg))
                    {
                        await msg.AckTerminateAsync(cancellationToken: ct).ConfigureAwait(false);
                        Interlocked.Increment(ref _quarantined);
                    }
                    else
                    {
                        await msg.AckAsync(cancellationToken: ct).ConfigureAwait(false);
                    }
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
    }
}
