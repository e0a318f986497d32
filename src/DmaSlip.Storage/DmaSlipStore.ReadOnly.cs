using DuckDB.NET.Data;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Opens an existing database for reading only, sandboxed for ad-hoc user queries (<c>dmaslip sql</c>): DuckDB's read-only access
    /// mode (any write statement fails), no access to files or extensions outside the database
    /// (<c>enable_external_access = false</c>: no COPY TO, ATTACH, read_csv, INSTALL), and the configuration locked so a
    /// query cannot switch either back. No migration is applied. Several read-only openers may share a file; a
    /// process holding it for writing (e.g. <c>serve</c>) locks it.
    /// </summary>
    /// <exception cref="StoreUnavailableException">No database at the path, it is locked, or it is not a DuckDB file.</exception>
    public static DmaSlipStore OpenForQueries(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new StoreUnavailableException($"Cannot open database '{full}': no such file");
        }
        var connection = new DuckDBConnection($"DataSource={full};access_mode=READ_ONLY;enable_external_access=false;lock_configuration=true");
        try
        {
            connection.Open();
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            var reason = ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
                ? "it is locked by another process (a writer such as serve holds it; query a copy or stop the writer)"
                : ex.Message;
            throw new StoreUnavailableException($"Cannot open database '{full}': {reason}", ex);
        }
        return new DmaSlipStore(full, connection, readOnly: true);
    }
}
