using DmaSlip.Storage.Internal;
using DuckDB.NET.Data;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    /// <summary>
    /// Adds rows to their canonical table in one transaction with the same result as <see cref="Insert{T}"/> (rows
    /// whose key is present are ignored; returns rows added), optimised for a stream of rows that are almost always
    /// new (e.g. the fleet service's consumer): it first appends straight into the table, which checks the primary
    /// key itself, and only when that append hits a key conflict does it roll the transaction back and redo the rows
    /// through the staged <c>INSERT OR IGNORE</c> merge. The direct path skips the staging table, the merge and its
    /// cleanup: a quarter of the fixed cost per transaction (<c>fleet-store</c> bench, docs/PERFORMANCE.md).
    /// <paramref name="rows"/> is enumerated twice when the fallback runs.
    /// </summary>
    public long AppendNew<T>(IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var spec = Tables.For(typeof(T));
        var map = RowMap<T>.Instance;
        long appended = 0;
        var tx = _connection.BeginTransaction();
        try
        {
            using (var appender = _connection.CreateAppender(spec.Name))
            {
                foreach (var row in rows)
                {
                    var r = appender.CreateRow();
                    map.Write(r, row);
                    r.EndRow();
                    appended++;
                }
                appender.Close();
            }
            tx.Commit();
            tx.Dispose();
            return appended;
        }
        catch (DuckDBException)
        {
            // A key already present (or repeated within the rows): nothing of this transaction is kept.
            tx.Rollback();
            tx.Dispose();
        }
        catch
        {
            tx.Dispose();
            throw;
        }
        long added = 0;
        InTransaction(() => added = Insert(rows));
        return added;
    }
}
