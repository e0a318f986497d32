namespace DmaSlip.Storage.Tests;

public sealed class TypedSqlTests
{
    public sealed record Pair(string Name, long? Count);

    [Fact]
    public void A_query_reads_into_a_record_whose_parameters_name_its_columns()
    {
        using var store = DmaSlipStore.OpenInMemory();
        var rows = store.Sql<Pair>("SELECT 'a' AS name, CAST(2 AS BIGINT) AS count UNION ALL SELECT 'b', NULL ORDER BY name");
        Assert.Equal([new Pair("a", 2), new Pair("b", null)], rows);
    }

    [Fact]
    public void Columns_out_of_the_records_order_are_refused()
    {
        using var store = DmaSlipStore.OpenInMemory();
        var ex = Assert.Throws<InvalidOperationException>(() => store.Sql<Pair>("SELECT CAST(2 AS BIGINT) AS count, 'a' AS name"));
        Assert.Contains("are not Pair's", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scalar_is_read_from_a_single_column_converting_its_number_type()
    {
        using var store = DmaSlipStore.OpenInMemory();
        Assert.Equal([1L, 2L], store.Sql<long>("SELECT CAST(x AS INTEGER) FROM range(1, 3) t(x)"));
        Assert.Equal(3L, store.SqlSingle<long>("SELECT sum(x) FROM range(1, 3) t(x)"));
        Assert.Null(store.SqlSingle<string?>("SELECT min(x) FROM (SELECT 'a' AS x) WHERE false"));
    }

    [Fact]
    public void A_null_read_as_a_non_nullable_scalar_is_an_error_not_a_zero()
    {
        using var store = DmaSlipStore.OpenInMemory();
        Assert.Throws<InvalidOperationException>(() => store.SqlSingle<long>("SELECT CAST(NULL AS BIGINT)"));
        Assert.Throws<InvalidOperationException>(() => store.Sql<long>("SELECT 1, 2"));
    }
}
