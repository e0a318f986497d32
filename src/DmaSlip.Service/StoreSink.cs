using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Consumer;
using DmaSlip.Fleet.Wire;
using DmaSlip.Storage;

namespace DmaSlip.Service;

/// <summary>
/// Commits fetched messages to the DuckDB store: frames into <c>host_frames</c>, regime changes into
/// <c>regime_transitions</c>, undecodable messages into <c>quarantine</c>. Inserts are idempotent on the tables'
/// natural keys, so a redelivery after a crash-before-ack adds nothing. One connection, serialized by a lock
/// (DuckDB.NET connections are not thread-safe; the frame and regime loops share it).
/// </summary>
public sealed class StoreSink(DmaSlipStore store) : IFleetSink
{
    private readonly Lock _gate = new();
    private long _framesAdded;
    private long _framesIgnored;
    private long _transitionsAdded;

    /// <summary>Frame rows that were new (the "frames stored" metric).</summary>
    public long FramesAdded => Interlocked.Read(ref _framesAdded);

    /// <summary>Frame rows already present (redeliveries, replays): proof that duplicates were absorbed.</summary>
    public long FramesIgnored => Interlocked.Read(ref _framesIgnored);

    public long TransitionsAdded => Interlocked.Read(ref _transitionsAdded);

    public DmaSlipStore Store => store;

    public Lock Gate => _gate;

    public void CommitFrames(IReadOnlyList<FrameBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        long offered = 0, added;
        foreach (var b in batches)
        {
            offered += b.Frames.Count;
        }
        lock (_gate)
        {
            // Almost every fetched frame is new: append directly, falling back to the staged merge on a redelivery.
            added = store.AppendNew(batches.SelectMany(b => b.Frames));
        }
        Interlocked.Add(ref _framesAdded, added);
        Interlocked.Add(ref _framesIgnored, offered - added);
    }

    public void CommitRegimes(IReadOnlyList<RegimeChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        long added;
        lock (_gate)
        {
            added = store.Insert(changes.Select(c => c.Transition));
        }
        Interlocked.Add(ref _transitionsAdded, added);
    }

    public void Quarantine(string subject, ulong streamSequence, string reason, ReadOnlyMemory<byte> raw)
    {
        var text = Convert.ToBase64String(raw.Span[..Math.Min(raw.Length, 4096)]);
        lock (_gate)
        {
            store.Insert([new QuarantineRecord("nats:" + Fleet.FleetNames.Stream, subject, (long)streamSequence, reason, "base64:" + text)]);
        }
    }

    public void RecordRoute(RouteChange change)
    {
        lock (_gate)
        {
            store.Insert([change]);
        }
    }
}
