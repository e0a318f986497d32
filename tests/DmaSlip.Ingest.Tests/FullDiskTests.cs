using System.Diagnostics;
using System.Runtime.Versioning;
using DmaSlip.Testing;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>
/// <c>export</c> and <c>report --out</c> when the disk fills up mid-write. Without root a full disk is simulated by a
/// file size limit (<c>ulimit -f</c>, with SIGXFSZ ignored so that a write past it fails with EFBIG as a full disk's
/// fails with ENOSPC): one error line, exit 3, and nothing half written — the previous output is left as it was.
/// </summary>
[SupportedOSPlatform("linux")]
public class FullDiskTests
{
    [Fact]
    public void A_report_that_does_not_fit_exits_3_in_one_line_and_leaves_the_previous_report_and_no_temporary_file()
    {
        using var dir = new TempDir();
        var db = Ingested(dir);
        var report = dir.File("r.html");
        File.WriteAllText(report, "previous report");
        var (exit, _, err) = RunWithFileSizeLimit(kib: 8, "report", "--db", db, "--out", report);
        Assert.Equal(3, exit);
        var error = Assert.Single(err.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains($"cannot write the report to '{report}': file too large", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Equal("previous report", File.ReadAllText(report));
        Assert.False(File.Exists(report + ".tmp"), "the partial temporary file is removed");
    }

    [Fact]
    public void An_export_that_does_not_fit_exits_3_in_one_line_and_leaves_the_previous_export_whole()
    {
        using var dir = new TempDir();
        var db = Ingested(dir);
        var export = dir.File("exp");
        Assert.Equal(0, Cli.Run("export", "--db", db, "--out", export).Exit);
        var before = Snapshot(export);
        Assert.Contains(before.Keys, k => k.StartsWith("order_events", StringComparison.Ordinal));

        var (exit, _, err) = RunWithFileSizeLimit(kib: 2, "export", "--db", db, "--out", export);
        Assert.Equal(3, exit);
        var error = Assert.Single(err.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("File too large", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(export)); // no temporary folder left, no table truncated or half replaced
    }

    private static string Ingested(TempDir dir)
    {
        var db = dir.File("x.duckdb");
        Assert.Equal(0, Cli.Run("ingest", Golden("fix", "engine.fix.log"), "--host", "e", "--db", db, "--json").Exit);
        return db;
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(root, p), p => File.Exists(p) ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p))) : "dir", StringComparer.Ordinal);

    private static (int Exit, string Out, string Err) RunWithFileSizeLimit(int kib, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        // SIGXFSZ ignored (inherited across exec): the write fails with EFBIG instead of killing the process.
        psi.ArgumentList.Add($"trap '' XFSZ; ulimit -f {kib}; exec dotnet \"$@\"");
        psi.ArgumentList.Add("bash");
        psi.ArgumentList.Add(DmaSlipExe.Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // the runtime's W^X double mapping needs memory-backed files larger than the limit
        psi.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)));
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
