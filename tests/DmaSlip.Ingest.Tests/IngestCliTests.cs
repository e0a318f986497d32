using System.Text.Json;
using DmaSlip.Storage;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

public class IngestCliTests
{
    [Fact]
    public void Ingest_json_reports_per_file_counts_and_a_second_run_skips_the_duplicate_file()
    {
        using var dir = new TempDir();
        var db = dir.File("x.duckdb");
        var trace = Golden("trace", "ftrace-mixed.trace");
        var (exit, stdout, _) = Cli.Run("ingest", trace, "--host", "h1", "--db", db, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var f = doc.RootElement.GetProperty("files")[0];
        Assert.Equal("ftrace", f.GetProperty("format").GetString());
        Assert.Equal(16, f.GetProperty("records").GetInt64());
        Assert.Equal(3, f.GetProperty("skipped").GetInt64());
        Assert.Equal(2, f.GetProperty("quarantined").GetInt64());
        Assert.False(f.GetProperty("skipped_duplicate_file").GetBoolean());
        Assert.Equal(16, doc.RootElement.GetProperty("total_records").GetInt64());
        Assert.Equal(2, doc.RootElement.GetProperty("total_quarantined").GetInt64());

        var (exit2, stdout2, _) = Cli.Run("ingest", trace, "--host", "h1", "--db", db, "--json");
        Assert.Equal(0, exit2);
        using var doc2 = JsonDocument.Parse(stdout2);
        Assert.True(doc2.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean());
        using var store = DmaSlipStore.Open(db);
        Assert.Equal(16, store.Count("host_events"));
        Assert.Equal(2, store.Count("quarantine"));
        Assert.Equal(1, store.Count("ingest_files"));
        var q = store.Query<Core.Domain.QuarantineRecord>().First();
        Assert.Equal(trace, q.Path);
        Assert.True(q.Offset > 0);
    }

    [Fact]
    public void An_unknown_format_file_exits_3_naming_it_while_the_other_files_land()
    {
        using var dir = new TempDir();
        var db = dir.File("x.duckdb");
        var junk = dir.File("notes.bin");
        File.WriteAllBytes(junk, [0xde, 0xad, 0xbe, 0xef, 0, 1, 2]);
        var (exit, _, stderr) = Cli.Run("ingest", junk, TestPaths.Data("lobster", "AAPL_2012-06-21_34200000_57600000_message_10.csv"), "--db", db, "--json");
        Assert.Equal(3, exit);
        Assert.Contains("notes.bin", stderr, StringComparison.Ordinal);
        using var store = DmaSlipStore.Open(db);
        Assert.Equal(999, store.Count("market_book_events"));
    }

    [Fact]
    public void Strict_exits_3_when_anything_was_quarantined()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = Cli.Run("ingest", Golden("fix", "engine.fix.log"), "--host", "e", "--db", dir.File("x.duckdb"), "--json", "--strict");
        Assert.Equal(3, exit);
        Assert.Contains("quarantined", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_format_name_is_a_usage_error()
    {
        using var dir = new TempDir();
        var (exit, _, _) = Cli.Run("ingest", Golden("fix", "engine.fix.log"), "--format", "nope", "--db", dir.File("x.duckdb"));
        Assert.Equal(2, exit);
    }

    [Fact]
    public void A_kill_minus_9_at_any_point_followed_by_a_rerun_ends_with_exactly_the_rows_of_one_clean_ingest()
    {
        using var dir = new TempDir();
        var files = new[] { dir.File("a.trace"), dir.File("b.trace"), dir.File("c.trace") };
        for (var f = 0; f < files.Length; f++)
        {
            TraceText.Write(files[f], lines: 150_000, seed: f);
        }
        var clean = dir.File("clean.duckdb");
        var cleanRun = System.Diagnostics.Stopwatch.StartNew();
        var r = Cli.Start(["ingest", .. files, "--host", "h", "--db", clean, "--json"]);
        Assert.True(r.WaitForExit(TimeSpan.FromMinutes(3)));
        Assert.Equal(0, r.ExitCode);
        var cleanMs = cleanRun.Elapsed.TotalMilliseconds;

        // Kill points are fractions of the clean run's own duration, so a faster or slower machine still kills
        // mid-ingest (fixed delays let a fast machine finish before the first kill).
        var crashed = dir.File("crashed.duckdb");
        var kills = 0;
        foreach (var delayMs in new[] { 0.15, 0.3, 0.45, 0.6, 0.8 }.Select(f => Math.Max(1, (int)(f * cleanMs))))
        {
            using var p = Cli.Start(["ingest", .. files, "--host", "h", "--db", crashed, "--json"]);
            if (!p.WaitForExit(delayMs))
            {
                p.Kill(); // SIGKILL on Linux
                p.WaitForExit();
                kills++;
            }
        }
        using (var p = Cli.Start(["ingest", .. files, "--host", "h", "--db", crashed, "--json"]))
        {
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)));
            Assert.Equal(0, p.ExitCode);
        }
        Assert.True(kills > 0, "no run was killed; the input is too small to test crash safety");
        using var a = DmaSlipStore.Open(clean);
        using var b = DmaSlipStore.Open(crashed);
        foreach (var table in new[] { "host_events", "quarantine", "ingest_files" })
        {
            Assert.Equal(a.Count(table), b.Count(table));
        }
        const string digest = "SELECT count(*), sum(source_offset), sum(ts_ns % 1000003), count(DISTINCT source) FROM host_events";
        Assert.Equal(a.Sql(digest).Rows[0], b.Sql(digest).Rows[0]);
        // no duplicates: host_events is append-only (migration 2101), so nothing but the file transaction prevents them
        const string keys = "SELECT count(*) - count(DISTINCT (source, source_offset, kind)) FROM host_events";
        Assert.Equal(0L, Convert.ToInt64(b.Sql(keys).Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3L * 150_000 * 9 / 10, a.Count("host_events"), tolerance: 3 * 150_000 / 10.0);
    }
}
