using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DmaSlip.Storage;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// Identical fleets (issue 21): byte-identical files from different hosts are different files. A file's identity is its
/// content hash and the host its path (or --host) gives it, so the same content lands once per host and once only.
/// </summary>
public class FleetIdentityTests
{
    private const string PerHost =
        "SELECT host, count(*), count(DISTINCT source), count(DISTINCT (source, source_offset, kind)) FROM host_events GROUP BY host ORDER BY host";

    [Theory]
    [InlineData(false)] // a small file: hashed before it is parsed
    [InlineData(true)] // ≥ 8 MiB with quarantined lines: hashed while it is parsed, its rows rekeyed at the end
    public void The_same_bytes_under_two_hosts_land_for_each_host_and_a_rerun_adds_nothing(bool large)
    {
        using var dir = new TempDir();
        var content = Content(dir, large);
        var fleet = Path.Combine(dir.Path, "fleet");
        foreach (var host in new[] { "ny4-01", "ny4-02" })
        {
            Directory.CreateDirectory(Path.Combine(fleet, "hosts", host));
            File.WriteAllBytes(Path.Combine(fleet, "hosts", host, "iommu.trace"), content);
        }
        var db = dir.File("x.duckdb");
        var (exit, stdout, stderr) = Cli.Run("ingest", fleet, "--db", db, "--json");
        Assert.True(exit == 0, stderr);
        long records;
        using (var doc = JsonDocument.Parse(stdout))
        {
            var files = doc.RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Equal(2, files.Count);
            Assert.All(files, f => Assert.False(f.GetProperty("skipped_duplicate_file").GetBoolean()));
            records = files[0].GetProperty("records").GetInt64();
            Assert.Equal(records, files[1].GetProperty("records").GetInt64());
            Assert.Equal(2, files[0].GetProperty("quarantined").GetInt64());
        }
        object?[][] perHost;
        using (var store = DmaSlipStore.Open(db))
        {
            perHost = [.. store.Sql(PerHost).Rows];
            Assert.Equal(2, perHost.Length);
            foreach (var row in perHost)
            {
                Assert.Equal(records, Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
                Assert.Equal(1L, Convert.ToInt64(row[2], CultureInfo.InvariantCulture));
                Assert.Equal(records, Convert.ToInt64(row[3], CultureInfo.InvariantCulture));
            }
            Assert.Equal(2, store.Count("ingest_files"));
            Assert.Equal(4, store.Count("quarantine"));
            // every row carries the identity of its own file: events by source, quarantine by file hash
            Assert.Equal(0L, store.Sql("SELECT count(*) FROM host_events e ANTI JOIN ingest_files f ON e.source = f.content_hash[:12] AND e.host = f.host").Rows[0][0]);
            Assert.Equal(0L, store.Sql("SELECT count(*) FROM quarantine q ANTI JOIN ingest_files f ON q.file_hash = f.content_hash").Rows[0][0]);
        }

        // a rerun, and a copy of the same bytes under another name for the same host, add nothing
        File.WriteAllBytes(Path.Combine(fleet, "hosts", "ny4-01", "copy.trace"), content);
        var (exit2, again, _) = Cli.Run("ingest", fleet, "--db", db, "--json");
        Assert.Equal(0, exit2);
        using (var doc = JsonDocument.Parse(again))
        {
            Assert.All(doc.RootElement.GetProperty("files").EnumerateArray(), f => Assert.True(f.GetProperty("skipped_duplicate_file").GetBoolean()));
        }
        using var after = DmaSlipStore.Open(db);
        Assert.Equal(perHost, after.Sql(PerHost).Rows);
        Assert.Equal(4, after.Count("quarantine"));
    }

    [Fact]
    public void A_file_ingested_under_its_bare_content_hash_before_identities_held_the_host_is_still_a_duplicate_for_that_host()
    {
        using var dir = new TempDir();
        var trace = Path.Combine(dir.Path, "hosts", "h1", "iommu.trace");
        Directory.CreateDirectory(Path.GetDirectoryName(trace)!);
        File.Copy(Golden("trace", "ftrace-mixed.trace"), trace);
        var db = dir.File("x.duckdb");
        Assert.Equal(0, Cli.Run("ingest", trace, "--db", db, "--json").Exit);
        var bare = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(trace)));
        long events;
        using (var store = DmaSlipStore.Open(db))
        {
            // what an older build stored: ingest_files, lengths, sources and quarantine under the bare hash
            var id = (string)store.Sql("SELECT content_hash FROM ingest_files").Rows[0][0]!;
            Assert.NotEqual(bare, id);
            var p = new Dictionary<string, object?> { ["b"] = bare, ["i"] = id };
            store.Execute("UPDATE ingest_files SET content_hash = $b WHERE content_hash = $i", p);
            store.Execute("UPDATE ingest_file_bytes SET content_hash = $b WHERE content_hash = $i", p);
            store.Execute("UPDATE quarantine SET file_hash = $b WHERE file_hash = $i", p);
            store.Execute("UPDATE host_event_streams SET source = $b[:12] WHERE source = $i[:12]", p);
            events = store.Count("host_events");
        }
        var (_, stdout, _) = Cli.Run("ingest", trace, "--db", db, "--json");
        using (var doc = JsonDocument.Parse(stdout))
        {
            Assert.True(doc.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean());
        }
        // for another host the same bytes are another file
        var (_, other, _) = Cli.Run("ingest", trace, "--host", "h2", "--db", db, "--json");
        using (var doc = JsonDocument.Parse(other))
        {
            Assert.False(doc.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean());
        }
        using var after = DmaSlipStore.Open(db);
        Assert.Equal(2 * events, after.Count("host_events"));
    }

    /// <summary>ftrace text with 2 quarantined lines (the golden mixed trace), after ~10 MB of generated lines when large.</summary>
    private static byte[] Content(TempDir dir, bool large)
    {
        var golden = File.ReadAllBytes(Golden("trace", "ftrace-mixed.trace"));
        if (!large)
        {
            return golden;
        }
        var generated = dir.File("generated.trace");
        TraceText.Write(generated, lines: 75_000, seed: 5);
        var bytes = (byte[])[.. File.ReadAllBytes(generated), .. golden];
        Assert.True(bytes.Length >= Ingestor.HashAlongsideBytes);
        return bytes;
    }
}
