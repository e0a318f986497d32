namespace DmaSlip.Storage.Tests;

/// <summary>Tests that set the process environment: run alone, so no other test opens a store meanwhile.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>DuckDB's memory bound on the store's file databases (docs/ARCHITECTURE.md "Storage", Memory).</summary>
[Collection(nameof(EnvironmentCollection))]
public sealed class StoreMemoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-memory-").FullName;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(StoreMemory.LimitVariable, null);
        Environment.SetEnvironmentVariable(StoreMemory.TempVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(24L << 30, "1024MiB")]   // 24 GiB machine: an eighth is 3 GiB, capped at 1 GiB
    [InlineData(4L << 30, "512MiB")]     // 4 GiB: an eighth
    [InlineData(1L << 30, "256MiB")]     // 1 GiB: an eighth is 128 MiB, raised to the 256 MiB floor
    public void The_default_limit_is_an_eighth_of_the_memory_between_256_MiB_and_1_GiB(long available, string expected) =>
        Assert.Equal(expected, StoreMemory.DefaultLimit(available));

    [Fact]
    public void A_file_database_opens_under_the_default_limit_and_spills_beside_itself()
    {
        var path = Path.Combine(_dir, "d.duckdb");
        using var store = DmaSlipStore.Open(path);
        Assert.Equal(Setting(StoreMemory.DefaultLimit(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)), store.SqlSingle<string>("SELECT current_setting('memory_limit')"));
        Assert.Equal(path + ".tmp", store.SqlSingle<string>("SELECT current_setting('temp_directory')"));
    }

    [Fact]
    public void The_environment_overrides_the_limit_and_the_spill_folder_for_read_only_opens_too()
    {
        var path = Path.Combine(_dir, "e.duckdb");
        DmaSlipStore.Open(path).Dispose();
        var spill = Path.Combine(_dir, "spill");
        Environment.SetEnvironmentVariable(StoreMemory.LimitVariable, "700MB");
        Environment.SetEnvironmentVariable(StoreMemory.TempVariable, spill);
        using var store = DmaSlipStore.OpenReadOnly(path);
        Assert.Equal(Setting("700MB"), store.SqlSingle<string>("SELECT current_setting('memory_limit')"));
        Assert.Equal(spill, store.SqlSingle<string>("SELECT current_setting('temp_directory')"));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("1GB;threads=64")]
    public void A_limit_that_is_not_a_size_is_one_clear_error(string value)
    {
        Environment.SetEnvironmentVariable(StoreMemory.LimitVariable, value);
        var ex = Assert.Throws<StoreUnavailableException>(() => DmaSlipStore.Open(Path.Combine(_dir, "f.duckdb")));
        Assert.Contains(value.Contains(';', StringComparison.Ordinal) ? StoreMemory.LimitVariable : "memory", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    // How DuckDB reports a limit it was given (e.g. 700MB → "667.5 MiB").
    private static string Setting(string limit)
    {
        using var scratch = DmaSlipStore.OpenInMemory();
        scratch.Execute($"SET memory_limit = '{limit}'");
        return scratch.SqlSingle<string>("SELECT current_setting('memory_limit')");
    }
}
