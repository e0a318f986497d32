using System.Globalization;
using DmaSlip.Core.Domain;

using static DmaSlip.Storage.Tests.OlderDatabase;

namespace DmaSlip.Storage.Tests;

/// <summary>
/// host_counters as a view over host_counter_data, host_counter_streams and ingest_file_ids (migration 2104): the
/// natural key stays unique without an index, with the first occurrence kept, as INSERT OR IGNORE kept it.
/// </summary>
public sealed class HostCounterStorageTests : IDisposable
{
    private const string FileA = "aaaaaaaaaaaa";
    private const string FileB = "bbbbbbbbbbbb";

    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-hcs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_database_written_before_the_split_keeps_every_row_and_a_file_over_the_same_keys_adds_only_new_ones()
    {
        var path = Path.Combine(_dir, "old.duckdb");
        using (var c = OlderDatabase.Before(path, 2104))
        {
            foreach (var r in Rows)
            {
                Run(c, string.Create(CultureInfo.InvariantCulture,
                    $"INSERT INTO host_counters VALUES ({r.TsNs}, '{r.Host}', '{r.Source}', '{r.Device}', '{r.Name}', {r.Value})"));
            }
        }
        using var store = DmaSlipStore.Open(path);
        Assert.Equal(Rows, Sorted(store));
        Assert.Equal(3L, store.Sql("SELECT count(*) FROM host_counter_streams").Rows[0][0]);
        Assert.Equal("VARCHAR", store.Sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'host_counters' AND column_name = 'name'").Rows[0][0]);

        // an ingested file repeating two old keys (other values) and bringing one new: only the new one lands
        var kept = Write(store, (FileA, new HostCounter(10, "h1", "perf_stat", "cpu0", "iommu:map", 999)),
            (FileA, new HostCounter(30, "h1", "perf_stat", "cpu0", "iommu:map", 7)),
            (FileA, new HostCounter(10, "h1", "perf_stat", "cpu0", "iommu:unmap", 999)));
        Assert.Equal(1, kept);
        Assert.Equal(Rows.Append(new HostCounter(30, "h1", "perf_stat", "cpu0", "iommu:map", 7)).OrderBy(Key), Sorted(store));
    }

    [Fact]
    public void Keys_repeated_within_a_file_or_across_files_keep_their_first_row_and_forgetting_a_file_removes_only_its_rows()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "x.duckdb"));
        // one unit, two files: A repeats a key within itself (its timestamps go back), B repeats one of A's
        var kept = Write(store,
            (FileA, new HostCounter(1, "h1", "perf_stat", "cpu0", "iommu:map", 1)),
            (FileA, new HostCounter(2, "h1", "perf_stat", "cpu0", "iommu:map", 2)),
            (FileA, new HostCounter(1, "h1", "perf_stat", "cpu0", "iommu:map", 3)),
            (FileB, new HostCounter(2, "h1", "perf_stat", "cpu0", "iommu:map", 4)),
            (FileB, new HostCounter(3, "h1", "perf_stat", "cpu0", "iommu:map", 5)),
            (FileB, new HostCounter(2, "h2", "perf_stat", "cpu0", "iommu:map", 6)));
        Assert.Equal(4, kept);
        HostCounter[] expected =
        [
            new(1, "h1", "perf_stat", "cpu0", "iommu:map", 1), new(2, "h1", "perf_stat", "cpu0", "iommu:map", 2),
            new(3, "h1", "perf_stat", "cpu0", "iommu:map", 5), new(2, "h2", "perf_stat", "cpu0", "iommu:map", 6),
        ];
        Assert.Equal(expected.OrderBy(Key), Sorted(store));

        // rows of unknown provenance (a store insert) are checked against the files' rows, and recorded for later files
        Assert.Equal(1, store.Insert([new HostCounter(1, "h1", "perf_stat", "cpu0", "iommu:map", 9), new HostCounter(50, "h1", "perf_stat", "cpu0", "iommu:map", 9)]));
        Assert.Equal(0, Write(store, ("cccccccccccc", new HostCounter(50, "h1", "perf_stat", "cpu0", "iommu:map", 10))));

        store.InTransaction(() => store.ForgetIngest(FileB + new string('0', 52)));
        Assert.Equal(expected.Where(r => r.Value < 4).Append(new HostCounter(50, "h1", "perf_stat", "cpu0", "iommu:map", 9)).OrderBy(Key), Sorted(store));
        Assert.Equal(0L, store.Sql($"SELECT count(*) FROM ingest_file_ids WHERE source = '{FileB}'").Rows[0][0]);
        Assert.Equal(0L, store.Sql("SELECT count(*) FROM ingest_extents e ANTI JOIN ingest_file_ids f USING (file)").Rows[0][0]);
    }

    [Fact]
    public void A_rekeyed_file_keeps_its_rows_under_its_new_identity()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "r.duckdb"));
        store.InTransaction(() =>
        {
            using var w = store.FileRowWriter();
            w.Add("pending00000", new HostCounter(1, "h1", "ethtool", "eth0", "rx_packets", 5));
            store.RekeyIngest("pending00000" + new string('0', 52), FileA + new string('0', 52));
            w.Complete();
        });
        store.InTransaction(() => store.ForgetIngest(FileA + new string('0', 52)));
        Assert.Equal(0, store.Count("host_counters"));
    }

    [Fact]
    public void An_abandoned_unit_adds_nothing()
    {
        using var store = DmaSlipStore.Open(Path.Combine(_dir, "a.duckdb"));
        Assert.Throws<InvalidOperationException>(() => store.InTransaction(() =>
        {
            using var w = store.FileRowWriter();
            for (var i = 0; i < 5000; i++)
            {
                w.Add(FileA, new HostCounter(i, "h1", "softnet_stat", "cpu0", "processed", i));
            }
            throw new InvalidOperationException("killed");
        }));
        Assert.Equal(0, store.Count("host_counters"));
        Assert.Equal(0L, store.Sql("SELECT count(*) FROM ingest_file_ids WHERE file <> 0").Rows[0][0]);
    }

    [Fact]
    public void Quotes_and_trades_keep_their_first_row_per_symbol_venue_ts_and_seq_and_a_pre_2105_database_keeps_its_rows()
    {
        var path = Path.Combine(_dir, "m.duckdb");
        using (var c = OlderDatabase.Before(path, 2105))
        {
            Run(c, "INSERT INTO market_quotes VALUES (100, 'IBM', 'P', 180.0, 100, 180.1, 200, NULL, 0)");
            Run(c, "INSERT INTO market_trades VALUES (100, 'IBM', 'P', 180.05, 50, '@', 99, 0)");
        }
        using var store = DmaSlipStore.Open(path);
        Assert.Equal([new Quote(100, "IBM", "P", 180.0, 100, 180.1, 200, null, 0)], store.Query<Quote>().ToList());
        Assert.Equal([new Trade(100, "IBM", "P", 180.05, 50, "@", 99, 0)], store.Query<Trade>().ToList());
        long kept = 0;
        store.InTransaction(() =>
        {
            using var w = store.FileRowWriter();
            w.Add(FileA, new Quote(100, "IBM", "P", 1, 1, 2, 1, null, 0)); // the stored key: dropped
            w.Add(FileA, new Quote(100, "IBM", "P", 1, 1, 2, 1, 7, 1)); // same ts, next seq: new
            w.Add(FileA, new Quote(100, "IBM", "P", 9, 9, 9, 9, null, 1)); // repeated within the file: the first kept
            w.Add(FileA, new Trade(100, "IBM", "P", 1, 1, null, null, 0)); // the stored key: dropped
            w.Add(FileA, new Trade(101, "IBM", "Q", 1, 1, null, null, 0));
            kept = w.Complete();
        });
        Assert.Equal(2, kept);
        Assert.Equal([new Quote(100, "IBM", "P", 180.0, 100, 180.1, 200, null, 0), new Quote(100, "IBM", "P", 1, 1, 2, 1, 7, 1)],
            store.Query<Quote>(orderBy: "seq").ToList());
        Assert.Equal([new Trade(100, "IBM", "P", 180.05, 50, "@", 99, 0), new Trade(101, "IBM", "Q", 1, 1, null, null, 0)],
            store.Query<Trade>(orderBy: "ts_ns").ToList());
        store.InTransaction(() => store.ForgetIngest(FileA + new string('0', 52)));
        Assert.Equal(1, store.Count("market_quotes"));
        Assert.Equal(1, store.Count("market_trades"));
    }

    [Fact]
    public void A_database_of_the_first_2104_layout_is_repaired_and_keeps_its_rows_and_file_identities()
    {
        var path = Path.Combine(_dir, "first.duckdb");
        using (var c = OlderDatabase.Before(path, 2104))
        {
            using (var s = typeof(HostCounterStorageTests).Assembly.GetManifestResourceStream("First2104.sql")!)
            using (var reader = new StreamReader(s))
            {
                Run(c, reader.ReadToEnd());
            }
            Run(c, "INSERT INTO schema_migrations VALUES (2104, '2104_host_counter_streams.sql', 0)");
            // what the first 2104's writer stored for one file: its id, stream, rows and extent
            Run(c, $"INSERT INTO host_counter_files VALUES (nextval('host_counter_file_ids'), '{FileA}')");
            Run(c, "INSERT INTO host_counter_streams VALUES (nextval('host_counter_stream_ids'), 'h1', 'perf_stat', 'cpu0', 'iommu:map')");
            Run(c, "INSERT INTO host_counter_data VALUES (10, 1, 100, 1), (20, 1, 200, 1)");
            Run(c, "INSERT INTO host_counter_extents VALUES (1, 'h1', 'perf_stat', 10, 20)");
        }
        using var store = DmaSlipStore.Open(path);
        Assert.Equal(2, store.Count("host_counters"));
        Assert.Equal(0L, store.Sql("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('host_counter_files', 'host_counter_extents')").Rows[0][0]);
        // the repaired extents still guard the key, and the file can still be forgotten by its identity
        Assert.Equal(0, Write(store, ("cccccccccccc", new HostCounter(20, "h1", "perf_stat", "cpu0", "iommu:map", 9))));
        store.InTransaction(() => store.ForgetIngest(FileA + new string('0', 52)));
        Assert.Equal(0, store.Count("host_counters"));
    }

    private static long Write(DmaSlipStore store, params (string File, HostCounter Row)[] rows)
    {
        long kept = 0;
        store.InTransaction(() =>
        {
            using var w = store.FileRowWriter();
            foreach (var (file, row) in rows)
            {
                w.Add(file, row);
            }
            kept = w.Complete();
        });
        return kept;
    }

    private static (string, string, string, string, long) Key(HostCounter c) => (c.Host, c.Source, c.Device, c.Name, c.TsNs);

    private static List<HostCounter> Sorted(DmaSlipStore store) => [.. store.Query<HostCounter>().OrderBy(Key)];

    private static readonly HostCounter[] Rows =
    [
        new(10, "h1", "perf_stat", "cpu0", "iommu:map", 100),
        new(20, "h1", "perf_stat", "cpu0", "iommu:map", 200),
        new(10, "h1", "perf_stat", "cpu0", "iommu:unmap", 50),
        new(10, "h2", "ethtool", "eth0", "rx_packets", 1e12),
    ];
}
