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
        // The same open (and lock message) as every other store, with the sandbox settings added.
        var connection = Connect(full, readOnly: true, "enable_external_access=false;lock_configuration=true");
        return new DmaSlipStore(full, connection, readOnly: true);
    }
}
