namespace DmaSlip.Ingest;

/// <summary>An input the ingestor cannot use at all (no host for host data, unreadable file). The CLI exits 3.</summary>
public sealed class IngestException(string message, Exception? inner = null) : Exception(message, inner);
