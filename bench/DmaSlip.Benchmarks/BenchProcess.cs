using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace DmaSlip.Benchmarks;

/// <summary>What the end-to-end ingest benches share: a child process under <c>/usr/bin/time</c>, a scalar query, the repo and the load.</summary>
internal static class BenchProcess
{
    /// <summary>Runs <paramref name="exe"/> under <c>/usr/bin/time</c>: wall seconds, peak RSS (KB), user+sys CPU seconds and its stdout. A non-zero exit throws.</summary>
    public static (double Wall, long RssKb, double Cpu, string Stdout) Timed(string exe, string[] args)
    {
        var stats = Path.GetTempFileName();
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/time", ["-f", "%e %M %U %S", "-o", stats, exe, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"{exe} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
            }
            var parts = File.ReadAllText(stats).Trim().Split('\n')[^1].Split(' ');
            var cpu = double.Parse(parts[2], CultureInfo.InvariantCulture) + double.Parse(parts[3], CultureInfo.InvariantCulture);
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), cpu, stdout);
        }
        finally
        {
            File.Delete(stats);
        }
    }

    public static long ScalarLong(string db, string sql)
    {
        using var c = new DuckDBConnection($"DataSource={db}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "DmaSlip.slnx")))
            {
                return d.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static void DeleteDb(string db)
    {
        File.Delete(db);
        File.Delete(db + ".wal");
    }
}
