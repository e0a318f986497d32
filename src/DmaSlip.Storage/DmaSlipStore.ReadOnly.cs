namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// <see cref="OpenReadOnly"/> for ad-hoc queries (<c>dmaslip sql</c>): besides DuckDB's read-only access mode (any
    /// write statement fails), nothing outside the database is reachable (<c>enable_external_access = false</c>: no
    /// COPY TO, ATTACH, read_csv, INSTALL) and the configuration is locked, so a query cannot switch either back.
    /// </summary>
    /// <exception cref="StoreUnavailableException">No database at the path, it is locked, or its schema is older.</exception>
    public static DmaSlipStore OpenForQueries(string path)
    {
        var store = OpenReadOnly(path);
        try
        {
            store.Execute("SET enable_external_access = false");
            store.Execute("SET lock_configuration = true");
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
