using System.Diagnostics;
using DmaSlip.Storage;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// Failures a user meets: each ends in one clear line per problem, the right exit code, no stack trace, and nothing
/// half done (the other inputs land; a failed export or import leaves no partial result).
/// </summary>
public class FailureCliTests
{
    private static void OneCleanError((int Exit, string Out, string Err) r, int exit, string contains)
    {
        Assert.True(r.Exit == exit, $"exit {r.Exit}, expected {exit}: {r.Err}");
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", r.Err, StringComparison.Ordinal);
        var errors = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, r.Err);
        Assert.Contains(contains, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Export_to_an_unwritable_path_exits_3_in_one_line()
    {
        using var dir = new TempDir();
        var db = dir.File("x.duckdb");
        Assert.Equal(0, Cli.Run("ingest", Golden("fix", "engine.fix.log"), "--host", "e", "--db", db, "--json").Exit);
        OneCleanError(Cli.Run("export", "--db", db, "--out", "/dev/null/export"), 3, "/dev/null/export");
    }

    [Fact]
    public void Report_to_an_unwritable_path_exits_3_in_one_line()
    {
        using var dir = new TempDir();
        var db = dir.File("x.duckdb");
        Assert.Equal(0, Cli.Run("ingest", Golden("fix", "engine.fix.log"), "--host", "e", "--db", db, "--json").Exit);
        var r = Cli.Run("report", "--db", db, "--out", "/dev/null/r.html");
        Assert.Equal(3, r.Exit);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
    }

    [Fact]
    public void Export_of_a_missing_database_is_an_input_error_and_creates_no_database()
    {
        using var dir = new TempDir();
        var db = dir.File("absent.duckdb");
        OneCleanError(Cli.Run("export", "--db", db, "--out", dir.File("out")), 3, "does not exist");
        Assert.False(File.Exists(db));
        OneCleanError(Cli.Run("metrics", "--db", db), 3, "does not exist");
    }

    [Fact]
    public void Metrics_from_after_to_is_a_usage_error()
    {
        using var dir = new TempDir();
        OneCleanError(Cli.Run("metrics", "--db", dir.File("x.duckdb"), "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-01T00:00:00Z"), 2, "--from must be before --to");
    }

    [Fact]
    public void Import_of_an_export_with_a_truncated_or_empty_Parquet_adds_nothing_and_exits_3()
    {
        using var dir = new TempDir();
        var db = dir.File("x.duckdb");
        Assert.Equal(0, Cli.Run("ingest", Golden("fix", "engine.fix.log"), "--host", "e", "--db", db, "--json").Exit);
        var export = dir.File("exp");
        Assert.Equal(0, Cli.Run("export", "--db", db, "--out", export).Exit);
        Assert.Empty(Directory.GetDirectories(export, ".*"));
        // a second table's file truncated: the good order_events must not land alone
        var hosts = Directory.CreateDirectory(Path.Combine(export, "hosts")).FullName;
        var good = Directory.GetFiles(Path.Combine(export, "order_events"), "*.parquet", SearchOption.AllDirectories)[0];
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(Path.Combine(hosts, "data.parquet"), bytes[..(bytes.Length / 2)]);
        var fresh = dir.File("y.duckdb");
        OneCleanError(Cli.Run("import", export, "--db", fresh), 3, "nothing was added");
        using (var store = DmaSlipStore.Open(fresh))
        {
            Assert.Equal(0, store.Count("order_events"));
        }
        File.WriteAllBytes(Path.Combine(hosts, "data.parquet"), []);
        OneCleanError(Cli.Run("import", export, "--db", fresh), 3, "nothing was added");
    }

    [Fact]
    public void Ingest_of_a_truncated_Parquet_exits_3_naming_it_while_the_other_files_land()
    {
        using var dir = new TempDir();
        var bad = dir.File("truth_parent.parquet");
        File.WriteAllBytes(bad, "PAR1\0\0\0"u8.ToArray());
        var db = dir.File("x.duckdb");
        var r = Cli.Run("ingest", bad, Golden("fix", "engine.fix.log"), "--host", "e", "--db", db, "--json");
        OneCleanError(r, 3, "truth_parent.parquet");
        using var store = DmaSlipStore.Open(db);
        Assert.Equal(11, store.Count("order_events"));
        Assert.Equal(1, store.Count("ingest_files"));
    }

    [Fact]
    public void Agent_with_an_unusable_spool_path_exits_3_in_one_line()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "hosts", "h1"));
        var r = Cli.Run("agent", "--nats", "nats://127.0.0.1:24599", "--host", "h1", "--pool", "p", "--source", "replay", dir.Path, "--spool", "/dev/null/spool", "--duration", "1");
        Assert.Equal(3, r.Exit);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.Contains(r.Err.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal) && (l.Contains("--spool", StringComparison.Ordinal) || l.Contains("recording", StringComparison.Ordinal)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void An_unreadable_file_and_folder_in_a_batch_are_one_error_line_each_while_the_others_land()
    {
        using var dir = new TempDir();
        var batch = Directory.CreateDirectory(Path.Combine(dir.Path, "batch")).FullName;
        Directory.CreateDirectory(Path.Combine(batch, "fix"));
        File.Copy(Golden("fix", "engine.fix.log"), Path.Combine(batch, "fix", "e.fix.log"));
        var secret = Path.Combine(batch, "secret.fix.log");
        File.Copy(Golden("fix", "engine.fix.log"), secret);
        File.AppendAllText(secret, "\n");
        var locked = Directory.CreateDirectory(Path.Combine(batch, "locked")).FullName;
        File.Copy(Golden("fix", "engine.fix.log"), Path.Combine(locked, "x.fix.log"));
        File.SetUnixFileMode(secret, UnixFileMode.None);
        File.SetUnixFileMode(locked, UnixFileMode.None);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(batch, (UnixFileMode)0x1FF);
        var db = Path.Combine(dir.Path, "x.duckdb");
        try
        {
            // root reads everything, so the batch runs as an unprivileged user then
            var (exit, _, err) = RunUnprivileged("ingest", batch, "--host", "e", "--db", db, "--json");
            Assert.Equal(3, exit);
            Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
            var errors = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, errors.Count);
            Assert.Contains(errors, e => e.Contains("secret.fix.log", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("locked", StringComparison.Ordinal) && e.Contains("cannot read folder", StringComparison.Ordinal));
        }
        finally
        {
            File.SetUnixFileMode(secret, (UnixFileMode)0x1B6);
            File.SetUnixFileMode(locked, (UnixFileMode)0x1FF);
        }
        using var store = DmaSlipStore.Open(db);
        Assert.Equal(11, store.Count("order_events"));
    }

    private static (int Exit, string Out, string Err) RunUnprivileged(params string[] args)
    {
        var root = Environment.UserName == "root";
        var psi = new ProcessStartInfo(root ? "setpriv" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (root)
        {
            foreach (var a in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet"])
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["HOME"] = Path.GetTempPath();
            psi.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        psi.ArgumentList.Add(DmaSlipExe.Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)));
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
