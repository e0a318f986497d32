using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest;

/// <summary>
/// A <c>host_counters</c> row as a value: what parsers hand the sink in batches (<see cref="IIngestSink.AddHostCounters"/>),
/// so that a counter line allocates nothing. Its strings are the parser's interned names.
/// </summary>
public readonly record struct HostCounterEntry(long TsNs, string Host, string Source, string Device, string Name, double Value)
{
    public HostCounter ToRow() => new(TsNs, Host, Source, Device, Name, Value);

    public static HostCounterEntry Of(HostCounter row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.TsNs, row.Host, row.Source, row.Device, row.Name, row.Value);
    }
}
