using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Fleet.Wire;

/// <summary>
/// All frames one agent computed for one or more consecutive windows (one per device queue and window; the live agent
/// sends a second of windows per message), with the agent's regime and signals after the last of them. One message
/// per host per window (or per second) keeps the message rate at hosts × windows/s rather than
/// hosts × queues × windows/s. <see cref="SentNs"/> is the agent's wall clock when it queued the batch (used only for
/// the publish→stored latency); <see cref="Sequence"/> counts batches since <see cref="Boot"/>.
/// </summary>
public sealed record FrameBatch(
    string Host,
    string Pool,
    string Boot,
    ulong Sequence,
    long SentNs,
    Regime Regime,
    HostSignals Signals,
    IReadOnlyList<HostFrame> Frames)
{
    public string MessageId => FleetNames.MessageId(Host, Boot, "f", Sequence);
}

/// <summary>A regime transition of one agent's controller, with the signals that caused it.</summary>
public sealed record RegimeChange(
    string Host,
    string Pool,
    string Boot,
    ulong Sequence,
    long SentNs,
    RegimeTransition Transition,
    HostSignals Signals)
{
    public string MessageId => FleetNames.MessageId(Host, Boot, "r", Sequence);
}

/// <summary>Why a message did not decode, and at which byte.</summary>
public readonly record struct DecodeError(string Reason, int Offset)
{
    public override string ToString() => $"{Reason} (at byte {Offset})";
}
