using DmaSlip.Fleet.Wire;

namespace DmaSlip.Fleet.Consumer;

/// <summary>
/// Where the service's consumer puts what it fetched. Each call must have committed durably when it returns: the
/// consumer acknowledges the messages only afterwards, so a crash before the commit means redelivery, and the sink
/// must therefore be idempotent (natural keys).
/// </summary>
public interface IFleetSink
{
    void CommitFrames(IReadOnlyList<FrameBatch> batches);

    void CommitRegimes(IReadOnlyList<RegimeChange> changes);

    /// <summary>A message that did not decode: kept with its stream sequence and reason, then terminated.</summary>
    void Quarantine(string subject, ulong streamSequence, string reason, ReadOnlyMemory<byte> raw);
}
