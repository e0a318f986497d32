namespace DmaSlip.Core.Domain;

/// <summary>
/// One raw host event of one (host, device, queue) stream. A value type so that event streams can flow through the
/// feature engine without allocation. Meaning of <see cref="Value"/>, <see cref="Aux"/> and <see cref="Size"/>
/// depends on <see cref="Kind"/> (see <see cref="HostEventKind"/>). <see cref="Count"/> is 1 for a traced event; an
/// aggregated event (the simulator's 1 ms steps, counter deltas) stands for <see cref="Count"/> identical events.
/// </summary>
public readonly record struct HostEvent(long TsNs, HostEventKind Kind, int Queue, int Cpu, long Size, long Value, long Aux, int Count = 1);

/// <summary>A host event as stored in <c>host_events</c>: the event plus where it came from.</summary>
public sealed record HostEventRow(
    long TsNs,
    string Host,
    string Device,
    int Queue,
    int Cpu,
    HostEventKind Kind,
    long Size,
    long Value,
    long Aux,
    string Source,
    long SourceOffset);
