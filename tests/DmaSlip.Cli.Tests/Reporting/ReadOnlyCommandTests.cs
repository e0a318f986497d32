using System.Security.Cryptography;
using System.Text.Json;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests.Reporting;

/// <summary>Commands that only report open the database read-only and never write as a side effect.</summary>
public sealed class ReadOnlyCommandTests
{
    private const long T0 = 1_764_000_000L * Time.NanosPerSecond;

    [Fact]
    public void Metrics_advise_and_report_succeed_on_a_read_only_file_and_leave_it_byte_identical()
    {
        using var dir = new TempDir();
        var db = dir.File("ro.duckdb");
        using (var store = DmaSlipStore.Open(db))
        {
            // Frames with a storm but no stored controller replay: advise must replay in memory and say so.
            var frames = new List<HostFrame>();
            for (var w = 0; w < 400; w++)
            {
                var storm = w is >= 200 and < 300;
                var noise = 1 + (0.05 * Math.Sin(w * 7));
                frames.Add(new HostFrame("h1", "eth0", 0, T0 + (w * 100 * Time.NanosPerMilli), 100 * Time.NanosPerMilli, (storm ? 12_000 : 1_000) * noise,
                    storm ? 40 : 3, (storm ? 120 : 8) * noise, storm ? 200 : 12, 50_000, 49_800, null, 900, storm ? 9_000 : 1_500, 2_000,
                    storm ? 30_000 : 4_000, 0.1, 4.5, 0.02, 0.97, storm ? 1.5 : 0.2, 0.15, 100_000));
            }
            store.Insert(frames);
            store.Insert([new ParentOrder("P1", "IBM", 1, 1000, T0, 100, T0 + Time.NanosPerMinute, "twap", "h1", "pool-a", "normal")]);
            store.Insert([new ParentOutcome("P1", "h1", "pool-a", "IBM", 1000, 500, 5, 2, 2, 1, null, null, null, null, null, 0.5, -1, -1, -1, -1,
                "map-stable", PressureBucket.Calm, "normal", "midday")]);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // chmod 444
        }
        var before = SHA256.HashData(File.ReadAllBytes(db));
        var filesBefore = Directory.GetFiles(dir.Path).Order(StringComparer.Ordinal).ToArray();

        var metrics = CliRunner.Run("metrics", "--db", db, "--json");
        var advise = CliRunner.Run("advise", "--db", db, "--json");
        var report = CliRunner.Run("report", "--db", db, "--out", Path.Combine(dir.Path, "out", "r.html"), "--json");

        Assert.True(metrics.Exit == 0, metrics.Err);
        Assert.True(advise.Exit == 0, advise.Err);
        Assert.True(report.Exit == 0, report.Err);
        using var doc = JsonDocument.Parse(advise.Out);
        Assert.Contains(doc.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("in-memory controller replay", StringComparison.Ordinal));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(db)));
        Assert.Equal(filesBefore, Directory.GetFiles(dir.Path).Order(StringComparer.Ordinal).ToArray());
        using var check = DmaSlipStore.OpenReadOnly(db);
        Assert.Equal(0, check.Count("regime_transitions"));
    }

    [Fact]
    public void A_read_command_on_a_missing_database_is_an_input_error_and_creates_nothing()
    {
        using var dir = new TempDir();
        var db = dir.File("none.duckdb");
        var r = CliRunner.Run("metrics", "--db", db);
        Assert.Equal(ExitCodes.Input, r.Exit);
        Assert.Contains("does not exist", r.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }
}
