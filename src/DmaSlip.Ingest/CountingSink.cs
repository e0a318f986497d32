namespace DmaSlip.Ingest;

/// <summary>
/// An <see cref="IIngestSink"/> that only counts rows (host-event batches by their length) and keeps nothing: for
/// measuring a parser alone (benchmarks, allocation tests). Never reports a file as already ingested.
/// </summary>
public sealed class CountingSink : IIngestSink
{
    public long Rows { get; private set; }

    public bool ContainsFile(string contentHash) => false;

    public void Atomically(Action work) => work();

    public void Add<T>(T row) where T : notnull => Rows++;

    public void AddHostEvents(string host, string source, ReadOnlySpan<HostEventEntry> events) => Rows += events.Length;

    public long ImportParquet(string path, string table) => 0;
}
