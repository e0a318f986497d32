using DmaSlip.Core.Domain;

namespace DmaSlip.Storage.Tests;

public sealed class StoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Migrations_from_empty_create_every_canonical_table_and_record_their_versions()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "a.duckdb"));
        Assert.Equal(Migrator.Available.Select(m => m.Version), store.AppliedMigrations());
        foreach (var table in Tables.All)
        {
            Assert.Equal(0, store.Count(table.Name));
        }
    }

    [Fact]
    public void The_native_library_loaded_ahead_is_the_one_the_store_opens_with()
    {
        DmaSlipStore.LoadNativeLibraryAhead().Join();
        Assert.True(System.Runtime.InteropServices.NativeLibrary.TryLoad("duckdb", typeof(DuckDB.NET.Data.DuckDBConnection).Assembly, null, out var handle));
        Assert.True(System.Runtime.InteropServices.NativeLibrary.TryGetExport(handle, "duckdb_open_ext", out _));
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "ahead.duckdb"));
        Assert.Equal(Migrator.Available.Select(m => m.Version), store.AppliedMigrations());
    }

    [Fact]
    public void Reopening_a_database_applies_no_migration_twice()
    {
        var path = Path.Combine(_dir, "b.duckdb");
        using (var first = DmaSlipStore.Open(path))
        {
            first.Insert(SampleRows.Hosts);
        }
        using var second = DmaSlipStore.Open(path);
        Assert.Equal(Migrator.Available.Count, second.AppliedMigrations().Count);
        Assert.Equal(2, second.Count("hosts"));
    }

    [Fact]
    public void Every_table_has_exactly_the_columns_of_its_row_record()
    {
        using var store = DmaSlipStore.OpenInMemory();
        foreach (var table in Tables.All)
        {
            var columns = store.Sql($"SELECT column_name FROM information_schema.columns WHERE table_name = '{table.Name}' ORDER BY ordinal_position")
                .Rows.Select(r => (string)r[0]!).ToArray();
            var expected = CanonicalSchema.Columns(table.RowType);
            Assert.Equal(expected, columns);
        }
    }

    [Fact]
    public void Storage_knows_exactly_the_canonical_tables_of_core()
    {
        Assert.Equal(CanonicalSchema.All.Select(t => (t.Name, t.RowType)), Tables.All.Select(t => (t.Name, t.RowType)));
    }

    [Fact]
    public void Inserting_the_same_rows_twice_adds_nothing_the_second_time()
    {
        using var store = DmaSlipStore.OpenInMemory();
        Assert.Equal(SampleRows.Total, SampleRows.InsertAll(store));
        Assert.Equal(0, SampleRows.InsertAll(store));
        Assert.Equal(3, store.Count("order_events"));
        Assert.Equal(3, store.Count("market_quotes"));
    }

    [Fact]
    public void Duplicates_inside_one_batch_are_added_once()
    {
        using var store = DmaSlipStore.OpenInMemory();
        var quote = SampleRows.Quotes[0];
        Assert.Equal(1, store.Insert(new[] { quote, quote, quote }));
    }

    [Fact]
    public void A_writer_merges_in_batches_and_counts_rows_added()
    {
        using var store = DmaSlipStore.OpenInMemory();
        using var writer = store.Writer<HostCounter>(batchRows: 7);
        for (var i = 0; i < 100; i++)
        {
            writer.Add(new HostCounter(i, "h", "softnet", "cpu0", "processed", i));
            writer.Add(new HostCounter(i, "h", "softnet", "cpu0", "processed", i));
        }
        Assert.Equal(100, writer.Complete());
        Assert.Equal(100, store.Count("host_counters"));
    }

    [Fact]
    public void Rows_read_back_equal_the_rows_written_including_nulls_and_enums()
    {
        using var store = DmaSlipStore.OpenInMemory();
        SampleRows.InsertAll(store);
        Assert.Equal(SampleRows.Hosts, store.Query<HostInfo>(orderBy: "host"));
        Assert.Equal(SampleRows.HostFrames, store.Query<HostFrame>(orderBy: "queue"));
        Assert.Equal(SampleRows.OrderEvents, store.Query<OrderEvent>(orderBy: "ts_ns"));
        Assert.Equal(SampleRows.BookEvents, store.Query<BookEvent>(orderBy: "seq"));
        Assert.Equal(SampleRows.ParentOutcomes, store.Query<ParentOutcome>(orderBy: "parent_id"));
        Assert.Equal(SampleRows.RegimeTransitions, store.Query<RegimeTransition>());
        Assert.Equal(SampleRows.TruthParents, store.Query<TruthParent>());
    }

    [Fact]
    public void A_transaction_that_throws_leaves_nothing_behind()
    {
        using var store = DmaSlipStore.OpenInMemory();
        Assert.Throws<InvalidOperationException>(() => store.InTransaction(() =>
        {
            store.Insert(SampleRows.Quotes);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal(0, store.Count("market_quotes"));
    }

    [Fact]
    public void Parquet_export_then_import_into_an_empty_database_gives_equal_tables()
    {
        var exportDir = Path.Combine(_dir, "export");
        using (var source = DmaSlipStore.Open(Path.Combine(_dir, "src.duckdb")))
        {
            SampleRows.InsertAll(source);
            var exported = source.ExportParquet(exportDir);
            Assert.Equal(SampleRows.Total, exported.Sum(e => e.Rows));
        }
        Assert.True(Directory.Exists(Path.Combine(exportDir, "hosts", "date=2023-11-14", "pool=pool-a")));
        Assert.True(Directory.Exists(Path.Combine(exportDir, "market_quotes", "date=2023-11-15")));

        using var target = DmaSlipStore.Open(Path.Combine(_dir, "dst.duckdb"));
        var imported = target.ImportParquet(exportDir);
        Assert.Equal(SampleRows.Total, imported.Sum(i => i.Added));
        Assert.Equal(SampleRows.Hosts, target.Query<HostInfo>(orderBy: "host"));
        Assert.Equal(SampleRows.Quotes, target.Query<Quote>(orderBy: "ts_ns, seq"));
        Assert.Equal(SampleRows.HostEvents, target.Query<HostEventRow>(orderBy: "ts_ns"));
        Assert.Equal(SampleRows.ParentOutcomes, target.Query<ParentOutcome>(orderBy: "parent_id"));
        Assert.Equal(SampleRows.Routes, target.Query<RouteChange>());
        Assert.Equal(SampleRows.Quarantine, target.Query<QuarantineRecord>());

        // importing again adds nothing
        Assert.Equal(0, target.ImportParquet(exportDir).Sum(i => i.Added));
    }

    [Fact]
    public void Exporting_an_unknown_table_names_the_known_ones()
    {
        using var store = DmaSlipStore.OpenInMemory();
        var ex = Assert.Throws<ArgumentException>(() => store.ExportParquet(_dir, ["nope"]));
        Assert.Contains("host_frames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_gives_a_clear_error()
    {
        var path = Path.Combine(_dir, "junk.duckdb");
        File.WriteAllText(path, "this is not a duckdb file, just some text padding it out to look like something");
        var ex = Assert.Throws<StoreUnavailableException>(() => DmaSlipStore.Open(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
