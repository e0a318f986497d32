using System.Text.Json;
using DmaSlip.Storage;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>The two idempotence cases of issue 21 (left to it by the hardening issue), end to end through the CLI.</summary>
public class IngestIdempotenceTests
{
    private const string Digest =
        "SELECT count(*), sum(source_offset), sum(ts_ns % 1000003), count(DISTINCT source), count(DISTINCT (source, source_offset, kind)) FROM host_events";

    [Fact]
    public void A_trace_ingested_while_still_being_written_and_later_whole_holds_the_rows_of_one_whole_ingest()
    {
        using var dir = new TempDir();
        var whole = dir.File("whole.bytes");
        TraceText.Write(whole, lines: 40_000, seed: 3);
        var content = File.ReadAllBytes(whole);
        var trace = dir.File("growing.trace");

        var clean = dir.File("clean.duckdb");
        File.WriteAllBytes(trace, content);
        Assert.Equal(0, Cli.Run("ingest", trace, "--host", "h", "--db", clean, "--json").Exit);

        // the same path read twice while being written (the second cut mid-line), then whole
        var db = dir.File("x.duckdb");
        foreach (var cut in new[] { content.Length / 3, (content.Length * 2 / 3) + 17 })
        {
            File.WriteAllBytes(trace, content[..cut]);
            Assert.Equal(0, Cli.Run("ingest", trace, "--host", "h", "--db", db, "--json").Exit);
        }
        File.WriteAllBytes(trace, content);
        var (exit, stdout, _) = Cli.Run("ingest", trace, "--host", "h", "--db", db, "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.False(doc.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean());
        }

        long events;
        using (var a = DmaSlipStore.Open(clean))
        using (var b = DmaSlipStore.Open(db))
        {
            foreach (var table in new[] { "host_events", "quarantine", "ingest_files" })
            {
                Assert.Equal(a.Count(table), b.Count(table));
            }
            Assert.Equal(a.Sql(Digest).Rows[0], b.Sql(Digest).Rows[0]);
            Assert.Equal(a.Sql("SELECT records, skipped, quarantined FROM ingest_files").Rows[0], b.Sql("SELECT records, skipped, quarantined FROM ingest_files").Rows[0]);
            events = a.Count("host_events");
        }
        // and once whole, again adds nothing (the stores are closed first: the CLI runs as another process)
        Assert.True(SkippedDuplicate(Cli.Run("ingest", trace, "--host", "h", "--db", db, "--json").Out));
        using var after = DmaSlipStore.Open(db);
        Assert.Equal(events, after.Count("host_events"));
    }

    [Fact]
    public void A_run_with_a_wrong_format_does_not_lock_the_file_out_of_a_later_correct_ingest()
    {
        using var dir = new TempDir();
        var trace = Golden("trace", "ftrace-mixed.trace");
        var clean = dir.File("clean.duckdb");
        Assert.Equal(0, Cli.Run("ingest", trace, "--host", "h1", "--db", clean, "--json").Exit);

        var db = dir.File("x.duckdb");
        var (_, wrong, _) = Cli.Run("ingest", trace, "--format", "fix", "--host", "h1", "--db", db, "--json");
        using (var doc = JsonDocument.Parse(wrong))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("total_records").GetInt64());
        }
        // the same wrong run again is a duplicate; the right one replaces it
        Assert.True(SkippedDuplicate(Cli.Run("ingest", trace, "--format", "fix", "--host", "h1", "--db", db, "--json").Out));
        var (exit, right, _) = Cli.Run("ingest", trace, "--host", "h1", "--db", db, "--json");
        Assert.Equal(0, exit);
        using (var doc = JsonDocument.Parse(right))
        {
            Assert.Equal(16, doc.RootElement.GetProperty("total_records").GetInt64());
        }
        using (var a = DmaSlipStore.Open(clean))
        using (var b = DmaSlipStore.Open(db))
        {
            foreach (var table in new[] { "host_events", "quarantine", "ingest_files" })
            {
                Assert.Equal(a.Count(table), b.Count(table));
            }
            Assert.Equal(a.Sql(Digest).Rows[0], b.Sql(Digest).Rows[0]);
        }
        // a right ingest is not replaced by a later wrong one
        Assert.True(SkippedDuplicate(Cli.Run("ingest", trace, "--format", "fix", "--host", "h1", "--db", db, "--json").Out));
        using var c = DmaSlipStore.Open(db);
        Assert.Equal(16, c.Count("host_events"));
    }

    private static bool SkippedDuplicate(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean();
    }
}
