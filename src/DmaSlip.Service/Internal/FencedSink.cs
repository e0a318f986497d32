using DmaSlip.Fleet.Consumer;
using DmaSlip.Fleet.Wire;

namespace DmaSlip.Service.Internal;

/// <summary>
/// Lets the consumer write only while this instance holds the writer lease: a commit attempted after the lease's
/// fenced time throws, so the messages are not acknowledged and the instance that took over gets them redelivered.
/// </summary>
internal sealed class FencedSink(IFleetSink inner, Func<bool> held) : IFleetSink
{
    public void CommitFrames(IReadOnlyList<FrameBatch> batches)
    {
        Fence();
        inner.CommitFrames(batches);
    }

    public void CommitRegimes(IReadOnlyList<RegimeChange> changes)
    {
        Fence();
        inner.CommitRegimes(changes);
    }

    public void Quarantine(string subject, ulong streamSequence, string reason, ReadOnlyMemory<byte> raw)
    {
        Fence();
        inner.Quarantine(subject, streamSequence, reason, raw);
    }

    private void Fence()
    {
        if (!held())
        {
            throw new InvalidOperationException("the writer lease is not held (any more): not committing, the messages will be redelivered to the active instance");
        }
    }
}
