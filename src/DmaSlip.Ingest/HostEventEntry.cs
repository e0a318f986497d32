using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest;

/// <summary>
/// A <c>host_events</c> row without its host and source (which a batch shares): what the trace parser hands the sink
/// in <see cref="IIngestSink.AddHostEvents"/>, a value so that parsing a line allocates nothing.
/// </summary>
public readonly record struct HostEventEntry(
    long TsNs,
    string Device,
    int Queue,
    int Cpu,
    HostEventKind Kind,
    long Size,
    long Value,
    long Aux,
    long SourceOffset)
{
    public HostEventRow ToRow(string host, string source) => new(TsNs, host, Device, Queue, Cpu, Kind, Size, Value, Aux, source, SourceOffset);
}
