namespace DmaSlip.Storage;

/// <summary>The database file cannot be opened: locked by another process, unreadable, or not a DuckDB file.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
