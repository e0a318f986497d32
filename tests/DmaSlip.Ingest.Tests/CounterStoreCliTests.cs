using System.Globalization;
using System.Text;
using System.Text.Json;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// The counter streams' bulk path (issue 21, migration 2104) end to end through the CLI: host_counters rows are appended
/// without a key index, so nothing but the file transaction and the set-wise key check keeps them exact.
/// </summary>
public class CounterStoreCliTests
{
    private const string Digest =
        "SELECT count(*), count(DISTINCT (host, source, device, name, ts_ns)), sum(hash(host, source, device, name, ts_ns, value)::HUGEINT) FROM host_counters";

    private static readonly string[] Tracepoints = ["iommu:map", "iommu:unmap", "intel_iommu:qi_submit", "napi:napi_poll", "net:netif_receive_skb", "net:net_dev_xmit"];

    [Fact]
    public void A_kill_minus_9_at_any_point_followed_by_a_rerun_ends_with_exactly_the_rows_of_one_clean_ingest()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "fleet");
        // two files of ≥ 8 MiB (hashed while they are parsed) and a small one (hashed first), each with bad lines
        var lines = new[] { 150_000, 150_000, 20_000 };
        for (var h = 0; h < lines.Length; h++)
        {
            WritePerfStat(Path.Combine(root, "hosts", $"h{h}", "perf-stat.csv"), intervals: lines[h] / 12, seed: h, badEvery: 5_000);
        }
        var clean = dir.File("clean.duckdb");
        var cleanRun = System.Diagnostics.Stopwatch.StartNew();
        var (exit, stdout, stderr) = Cli.Run("ingest", root, "--db", clean, "--json", "--format", "perf-stat");
        Assert.True(exit == 0, stderr);
        var cleanMs = cleanRun.Elapsed.TotalMilliseconds;
        var quarantined = Quarantined(stdout);
        Assert.True(quarantined > 0);

        var crashed = dir.File("crashed.duckdb");
        var kills = 0;
        foreach (var delayMs in new[] { 0.15, 0.3, 0.45, 0.6, 0.8 }.Select(f => Math.Max(1, (int)(f * cleanMs))))
        {
            using var p = Cli.Start(["ingest", root, "--db", crashed, "--json", "--format", "perf-stat"]);
            if (!p.WaitForExit(delayMs))
            {
                p.Kill(); // SIGKILL on Linux
                p.WaitForExit();
                kills++;
            }
        }
        Assert.True(Cli.Run("ingest", root, "--db", crashed, "--json", "--format", "perf-stat").Exit == 0);
        Assert.True(kills > 0, "no run was killed; the input is too small to test crash safety");
        using var a = DmaSlipStore.Open(clean);
        using var b = DmaSlipStore.Open(crashed);
        foreach (var table in new[] { "host_counters", "quarantine", "ingest_files" })
        {
            Assert.Equal(a.Count(table), b.Count(table));
        }
        Assert.Equal(a.Sql(Digest).Rows[0], b.Sql(Digest).Rows[0]);
        var row = b.Sql(Digest).Rows[0];
        Assert.Equal(row[0], row[1]); // no duplicate key
        Assert.Equal(quarantined, b.Count("quarantine"));
        Assert.Equal(lines.Sum(l => l / 12 * 12) - quarantined, a.Count("host_counters"));
    }

    [Fact]
    public void A_rerun_adds_nothing_a_growing_file_ends_as_one_whole_ingest_and_an_overlapping_file_adds_only_new_keys()
    {
        using var dir = new TempDir();
        var whole = dir.File("whole.csv");
        WritePerfStat(whole, intervals: 3_000, seed: 7, badEvery: 1_000);
        var content = File.ReadAllBytes(whole);
        var clean = dir.File("clean.duckdb");
        var (_, cleanOut, _) = Cli.Run("ingest", whole, "--host", "h", "--db", clean, "--json");
        var quarantined = Quarantined(cleanOut);

        var db = dir.File("x.duckdb");
        var growing = dir.File("growing.csv");
        foreach (var cut in new[] { content.Length / 3, (content.Length * 2 / 3) + 17 })
        {
            File.WriteAllBytes(growing, content[..cut]);
            Assert.Equal(0, Cli.Run("ingest", growing, "--host", "h", "--db", db, "--json").Exit);
        }
        File.WriteAllBytes(growing, content);
        Assert.Equal(0, Cli.Run("ingest", growing, "--host", "h", "--db", db, "--json").Exit);
        var (exit, again, _) = Cli.Run("ingest", growing, "--host", "h", "--db", db, "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(again))
        {
            Assert.True(doc.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean());
        }
        using (var a = DmaSlipStore.Open(clean))
        using (var b = DmaSlipStore.Open(db))
        {
            Assert.Equal(a.Sql(Digest).Rows[0], b.Sql(Digest).Rows[0]);
            Assert.Equal(quarantined, b.Count("quarantine"));
            Assert.Equal(1, b.Count("ingest_files"));
        }

        // a rotated log repeating the last 1,000 intervals with other values, then 500 new ones: only the new keys land
        // (500 intervals of 12 counters, and the 12 keys whose lines were unreadable in the first file: lines 25,000,
        // 26,000, ..., 36,000 are in intervals 2,001-3,000)
        var rotated = dir.File("rotated.csv");
        WritePerfStat(rotated, intervals: 1_500, seed: 8, badEvery: 0, firstInterval: 2_001);
        long before;
        using (var b = DmaSlipStore.Open(db))
        {
            before = b.Count("host_counters");
        }
        Assert.Equal(0, Cli.Run("ingest", rotated, "--host", "h", "--db", db, "--json").Exit);
        using (var b = DmaSlipStore.Open(db))
        {
            Assert.Equal(before + (500 * 12) + 12, b.Count("host_counters"));
            var row = b.Sql(Digest).Rows[0];
            Assert.Equal(row[0], row[1]);
            // the repeated keys keep the first file's rows and values; the rotated file adds only the 12 keys in that range
            using var a = DmaSlipStore.Open(clean);
            Assert.Equal(a.Sql("SELECT count(*), sum(hash(ts_ns, value)::HUGEINT) FROM host_counters").Rows[0],
                b.Sql("SELECT count(*), sum(hash(ts_ns, value)::HUGEINT) FROM host_counter_data WHERE file = (SELECT min(file) FROM host_counter_data)").Rows[0]);
            var lastClean = Convert.ToInt64(a.Sql("SELECT max(ts_ns) FROM host_counters").Rows[0][0], CultureInfo.InvariantCulture);
            Assert.Equal(12L, b.Sql($"SELECT count(*) FROM host_counter_data WHERE file = (SELECT max(file) FROM host_counter_data) AND ts_ns <= {lastClean}").Rows[0][0]);
        }
    }

    [Fact]
    public void Market_data_killed_mid_ingest_and_rerun_ends_with_the_rows_of_one_clean_ingest_and_a_rerun_adds_nothing()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "market");
        Directory.CreateDirectory(root);
        var rng = new Random(5);
        var quotes = new StringBuilder("ts_ns,symbol,venue,bid_px,bid_size,ask_px,ask_size,exchange_ts_ns,seq\n");
        for (var i = 0; i < 300_000; i++)
        {
            // several quotes share a timestamp (seq tells them apart); every 20,000th line is unreadable
            var bid = 100 + (rng.Next(1000) / 100.0);
            quotes.Append(i % 20_000 == 7 ? "x,IBM,P,,,,,,\n" : string.Create(CultureInfo.InvariantCulture,
                $"{1_381_152_600_000_000_000L + (i / 3 * 1_000_000L)},IBM,{(i % 2 == 0 ? "P" : "Q")},{bid},{rng.Next(1, 9) * 100},{bid + 0.01},{rng.Next(1, 9) * 100},,{i % 3}\n"));
        }
        File.WriteAllText(Path.Combine(root, "market_quotes.csv"), quotes.ToString());
        const string MarketDigest = "SELECT count(*), count(DISTINCT (symbol, venue, ts_ns, seq)), sum(hash(symbol, venue, ts_ns, seq, bid_px, bid_size, ask_px, ask_size)::HUGEINT) FROM market_quotes";
        var clean = dir.File("clean.duckdb");
        var cleanRun = System.Diagnostics.Stopwatch.StartNew();
        var (exit, stdout, stderr) = Cli.Run("ingest", root, "--db", clean, "--json");
        Assert.True(exit == 0, stderr);
        var cleanMs = cleanRun.Elapsed.TotalMilliseconds;
        Assert.Equal(15, Quarantined(stdout));

        var crashed = dir.File("crashed.duckdb");
        var kills = 0;
        foreach (var delayMs in new[] { 0.3, 0.5, 0.7, 0.85 }.Select(f => Math.Max(1, (int)(f * cleanMs))))
        {
            using var p = Cli.Start(["ingest", root, "--db", crashed, "--json"]);
            if (!p.WaitForExit(delayMs))
            {
                p.Kill(); // SIGKILL on Linux
                p.WaitForExit();
                kills++;
            }
        }
        Assert.Equal(0, Cli.Run("ingest", root, "--db", crashed, "--json").Exit);
        Assert.Equal(0, Cli.Run("ingest", root, "--db", crashed, "--json").Exit);
        Assert.True(kills > 0, "no run was killed; the input is too small to test crash safety");
        using var a = DmaSlipStore.Open(clean);
        using var b = DmaSlipStore.Open(crashed);
        Assert.Equal(a.Sql(MarketDigest).Rows[0], b.Sql(MarketDigest).Rows[0]);
        Assert.Equal(300_000L - 15, a.Count("market_quotes"));
        Assert.Equal(15, b.Count("quarantine"));
        Assert.Equal(1, b.Count("ingest_files"));
    }

    [Fact]
    public void A_folder_read_ahead_file_by_file_lands_what_ingesting_each_file_alone_lands()
    {
        // a folder's next file is hashed and parsed on another thread while the store writes the current one
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "day");
        WritePerfStat(Path.Combine(root, "hosts", "h1", "perf-stat.csv"), intervals: 2_000, seed: 1, badEvery: 777);
        WritePerfStat(Path.Combine(root, "hosts", "h2", "perf-stat.csv"), intervals: 2_000, seed: 2, badEvery: 0);
        TraceText.Write(Path.Combine(root, "hosts", "h1", "iommu.trace"), lines: 30_000, seed: 4);
        File.WriteAllText(Path.Combine(root, "hosts", "h2", "unknown.bin"), "\u0001\u0002");
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var together = dir.File("together.duckdb");
        var (_, outTogether, _) = Cli.Run("ingest", root, "--db", together, "--json");
        var alone = dir.File("alone.duckdb");
        foreach (var f in files)
        {
            Cli.Run("ingest", f, "--db", alone, "--json");
        }
        AssertSameRows(alone, together);
        using var doc = JsonDocument.Parse(outTogether);
        Assert.Equal(files.Length, doc.RootElement.GetProperty("files").GetArrayLength());
        Assert.Equal(files.Select(Path.GetFileName), doc.RootElement.GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetProperty("path").GetString())));
    }

    [Fact]
    public void A_folder_whose_first_file_is_read_ahead_and_hashed_beside_its_parse_lands_what_each_file_alone_lands()
    {
        // the first file of a folder is parsed on another thread too, and a large one no earlier ingest can match is
        // hashed beside its parse: its rows go in under a placeholder identity renamed at the end of the unit
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "day");
        var big = Path.Combine(root, "hosts", "h1", "perf-stat.csv");
        WritePerfStat(big, intervals: 14_000, seed: 5, badEvery: 0);
        Assert.True(new FileInfo(big).Length >= 8 << 20, "the first file must be large enough to be hashed beside its parse");
        WritePerfStat(Path.Combine(root, "hosts", "h2", "perf-stat.csv"), intervals: 500, seed: 6, badEvery: 97);
        var together = dir.File("together.duckdb");
        var (code, outTogether, _) = Cli.Run("ingest", root, "--db", together, "--json");
        Assert.Equal(0, code);
        Assert.Equal((14_000 + 500) * 12, Records(outTogether) + Quarantined(outTogether));
        var alone = dir.File("alone.duckdb");
        foreach (var f in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Cli.Run("ingest", f, "--db", alone, "--json");
        }
        AssertSameRows(alone, together);
        var (again, outAgain, _) = Cli.Run("ingest", root, "--db", together, "--json");
        Assert.Equal(0, again);
        using var doc = JsonDocument.Parse(outAgain);
        Assert.All(doc.RootElement.GetProperty("files").EnumerateArray(), f => Assert.True(f.GetProperty("skipped_duplicate_file").GetBoolean()));
        AssertSameRows(alone, together);
    }

    /// <summary>Both databases hold the same counters, host events, ingested files and quarantine rows, and no placeholder identity.</summary>
    private static void AssertSameRows(string expectedDb, string actualDb)
    {
        string[] digests =
        [
            "SELECT count(*), sum(hash(ts_ns, host, source, device, name, value)::HUGEINT) FROM host_counters",
            "SELECT count(*), sum(hash(ts_ns, host, device, kind, source, source_offset)::HUGEINT) FROM host_events",
            "SELECT count(*), sum(hash(content_hash, path, format, host, records, skipped, quarantined)::HUGEINT) FROM ingest_files",
            "SELECT count(*), sum(hash(file_hash, path, \"offset\", reason)::HUGEINT) FROM quarantine",
        ];
        using var expected = DmaSlipStore.Open(expectedDb);
        using var actual = DmaSlipStore.Open(actualDb);
        foreach (var q in digests)
        {
            Assert.Equal(expected.Sql(q).Rows[0], actual.Sql(q).Rows[0]);
        }
        Assert.Equal(0L, actual.Sql("SELECT count(*) FROM ingest_file_ids WHERE source LIKE 'pending%'").Rows[0][0]);
        Assert.Equal(0L, actual.Sql("SELECT count(*) FROM quarantine WHERE file_hash LIKE 'pending%'").Rows[0][0]);
    }

    private static long Records(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("records").GetInt64());
    }

    private static long Quarantined(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("quarantined").GetInt64());
    }

    /// <summary>perf stat -I 100 -A -x, of the six tracepoints on two CPUs; every <paramref name="badEvery"/>-th line unreadable.</summary>
    private static void WritePerfStat(string path, int intervals, int seed, int badEvery, int firstInterval = 1)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rng = new Random(seed);
        var sb = new StringBuilder("# started on Mon Oct  7 13:30:00 2013\n\n");
        var n = 0;
        for (var i = firstInterval; i < firstInterval + intervals; i++)
        {
            var t = (i * 0.1).ToString("F9", CultureInfo.InvariantCulture);
            for (var cpu = 0; cpu < 2; cpu++)
            {
                foreach (var tp in Tracepoints)
                {
                    var value = badEvery > 0 && ++n % badEvery == 0 ? "12x" : rng.Next(50_000).ToString(CultureInfo.InvariantCulture);
                    sb.Append(CultureInfo.InvariantCulture, $"{t},CPU{cpu},{value},,{tp},100000000,100.00,,\n");
                }
            }
        }
        File.WriteAllText(path, sb.ToString());
    }
}
