using System.Globalization;
using DmaSlip.Storage.Internal;

namespace DmaSlip.Storage;

public sealed partial class DmaSlipStore
{
    private BulkSettings? _bulkSettings;

    /// <summary>
    /// Puts DuckDB in the settings of a single-threaded bulk append (<c>threads = 1</c> and a memory limit of
    /// <see cref="ChunkAppender.BulkMemoryLimit"/>: see <see cref="ChunkAppender"/>) until the returned scope is
    /// disposed, which restores the settings found. A run of many files holds them once instead of each file's
    /// <see cref="FileRowWriter"/> setting and restoring them (four statements a file). Nested scopes do nothing.
    /// </summary>
    public IDisposable HoldBulkSettings()
    {
        if (_bulkSettings is not null)
        {
            return new BulkSettings(null, 0, "");
        }
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT current_setting('threads'), current_setting('memory_limit')";
        long threads;
        string memoryLimit;
        using (var reader = cmd.ExecuteReader())
        {
            reader.Read();
            threads = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            memoryLimit = Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? "";
        }
        Execute("SET threads = 1");
        Execute($"SET memory_limit = '{ChunkAppender.BulkMemoryLimit}'");
        _bulkSettings = new BulkSettings(this, threads, memoryLimit);
        return _bulkSettings;
    }

    private sealed class BulkSettings(DmaSlipStore? store, long threads, string memoryLimit) : IDisposable
    {
        public void Dispose()
        {
            if (store is not { _bulkSettings: { } held } || !ReferenceEquals(held, this))
            {
                return;
            }
            store._bulkSettings = null;
            store.Execute($"SET threads = {threads.ToString(CultureInfo.InvariantCulture)}");
            store.Execute($"SET memory_limit = '{memoryLimit.Replace("'", "", StringComparison.Ordinal)}'");
        }
    }
}
