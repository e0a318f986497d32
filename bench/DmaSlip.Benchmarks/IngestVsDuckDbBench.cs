using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

using static DmaSlip.Benchmarks.BenchProcess;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>ingest-vs-duckdb [LINES | --gb G] [--reps N] [--keep] [--baseline-cli PATH]</c> (issue 21): writes a perf-script file under /tmp
/// (default 2,000,000 lines; <c>--gb</c> sizes it instead), warms the page cache, then in this one run times, N times
/// each and alternating: (1) our ingest end to end — the CLI <c>dmaslip ingest FILE --db NEW --json</c> (hash, detect,
/// parse, durable idempotent store, exit) — and (2) the DuckDB SQL peer a user could write by hand — <c>read_csv</c> of
/// the lines + <c>regexp_extract</c> of cpu, ts, event, iova, size, work, len into a table of a new database file —
/// each as its own process under <c>/usr/bin/time</c> (wall, peak RSS). Checks our rows (records = event lines =
/// host_events rows, no duplicate (source, source_offset, kind)), that a re-ingest adds 0 rows, and that the peer
/// holds a row per line. Prints best and median, lines/s, the ratio, peak RSS and the load average before/after.
/// The CLI is <c>$DMASLIP_CLI</c> (<c>bench/ingest-vs-duckdb.sh</c> publishes it ReadyToRun and sets it), else
/// <c>src/DmaSlip.Cli/bin/Release/net10.0/dmaslip</c>. <c>--baseline-cli</c> adds a third side, another build of the CLI (e.g. one
/// built from the commit before issue 21), timed and checked the same way in the same alternation.
/// </summary>
internal static class IngestVsDuckDbBench
{
    private const string PeerSql = """
        CREATE TABLE peer AS
        SELECT TRY_CAST(regexp_extract(line, '\[(\d+)\]', 1) AS INTEGER) AS cpu,
               TRY_CAST(regexp_extract(line, '\]\s+([0-9.]+):', 1) AS DOUBLE) AS ts,
               regexp_extract(line, ':\s([a-z_]+:[a-z_]+):', 1) AS event,
               regexp_extract(line, 'iova=(0x[0-9a-f]+)', 1) AS iova,
               TRY_CAST(regexp_extract(line, ' size=(\d+)', 1) AS BIGINT) AS size,
               TRY_CAST(regexp_extract(line, 'work (\d+)', 1) AS BIGINT) AS work,
               TRY_CAST(regexp_extract(line, 'len=(\d+)', 1) AS BIGINT) AS len
        FROM read_csv('@FILE', columns = {'line': 'VARCHAR'}, delim = '|', quote = '', escape = '', header = false,
                      auto_detect = false, comment = '#')
        """;

    public static int Run(string[] args)
    {
        if (args is ["--peer", var peerFile, var peerDb])
        {
            return Peer(peerFile, peerDb);
        }
        var inv = CultureInfo.InvariantCulture;
        var gb = args.Contains("--gb") ? double.Parse(args[Array.IndexOf(args, "--gb") + 1], inv) : 0;
        var lines = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? long.Parse(args[0], inv) : 2_000_000;
        var reps = args.Contains("--reps") ? int.Parse(args[Array.IndexOf(args, "--reps") + 1], inv) : 3;
        var keep = args.Contains("--keep");
        var baseline = args.Contains("--baseline-cli") ? args[Array.IndexOf(args, "--baseline-cli") + 1] : null;
        var cli = Environment.GetEnvironmentVariable("DMASLIP_CLI") ?? Path.Combine(RepoRoot(), "src", "DmaSlip.Cli", "bin", "Release", "net10.0", "dmaslip");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"error: the CLI is not built at {cli} (dotnet build src/DmaSlip.Cli -c Release, or set DMASLIP_CLI)");
            return 2;
        }
        var work = Path.Combine(Path.GetTempPath(), $"dmaslip-ingest-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        var file = Path.Combine(work, gb > 0 ? $"perf-script-{gb.ToString("0.##", inv)}g.txt" : $"perf-script-{lines}.txt");
        try
        {
            Console.WriteLine($"writing {file} ...");
            var eventLines = PerfScriptBenchText.Write(file, lines, (long)(gb * 1e9));
            return Measure(cli, baseline, file, eventLines, work, reps);
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static int Measure(string cli, string? baselineCli, string file, long eventLines, string work, int reps)
    {
        var inv = CultureInfo.InvariantCulture;
        var size = new FileInfo(file).Length;
        var loadBefore = LoadAverage();
        WarmPageCache(file);
        var ours = new List<(double Wall, long RssKb, double Cpu)>();
        var peer = new List<(double Wall, long RssKb, double Cpu)>();
        var before = new List<(double Wall, long RssKb, double Cpu)>();
        var bench = BenchCommand();
        for (var i = 0; i < reps; i++)
        {
            var db = Path.Combine(work, $"ours-{i}.duckdb");
            var load = LoadAverage();
            var (wall, rss, cpu, stdout) = Timed(cli, ["ingest", file, "--db", db, "--json"]);
            ours.Add((wall, rss, cpu));
            Console.WriteLine(string.Create(inv, $"  run {i + 1} ours: {wall:F2} s wall, {cpu:F2} s CPU, {rss / 1024} MB peak RSS (load average {load})"));
            var check = CheckOurs(cli, file, db, eventLines, stdout);
            if (check is not null)
            {
                Console.WriteLine("ERROR: " + check);
                return 1;
            }
            DeleteDb(db);
            var peerDb = Path.Combine(work, $"peer-{i}.duckdb");
            load = LoadAverage();
            var (pwall, prss, pcpu, _) = Timed(bench[0], [.. bench[1..], "ingest-vs-duckdb", "--peer", file, peerDb]);
            peer.Add((pwall, prss, pcpu));
            Console.WriteLine(string.Create(inv, $"  run {i + 1} peer: {pwall:F2} s wall, {pcpu:F2} s CPU, {prss / 1024} MB peak RSS (load average {load})"));
            var peerRows = ScalarLong(peerDb, "SELECT count(*) FROM peer");
            if (peerRows != eventLines)
            {
                Console.WriteLine($"ERROR: the peer holds {peerRows} rows, the file has {eventLines} event lines");
                return 1;
            }
            DeleteDb(peerDb);
            if (baselineCli is not null)
            {
                var bdb = Path.Combine(work, $"baseline-{i}.duckdb");
                var (bwall, brss, bcpu, bout) = Timed(baselineCli, ["ingest", file, "--db", bdb, "--json"]);
                before.Add((bwall, brss, bcpu));
                var bcheck = CheckOurs(baselineCli, file, bdb, eventLines, bout);
                if (bcheck is not null)
                {
                    Console.WriteLine("ERROR (baseline): " + bcheck);
                    return 1;
                }
                DeleteDb(bdb);
            }
        }
        Console.WriteLine($"ours: {cli}");
        var o = ours.Select(x => x.Wall).Order().ToList();
        var p = peer.Select(x => x.Wall).Order().ToList();
        Console.WriteLine(string.Create(inv, $"file: {file} ({size / 1e9:F2} GB, {eventLines:N0} perf-script event lines); {reps} runs of each, alternating"));
        Console.WriteLine(string.Create(inv,
            $"ours  (dmaslip ingest, end to end): best {o[0]:F2} s = {eventLines / o[0] / 1e6:F2} M lines/s; median {Median(o):F2} s = {eventLines / Median(o) / 1e6:F2} M lines/s; peak RSS {ours.Max(x => x.RssKb) / 1024} MB; CPU (user+sys) best {ours.Min(x => x.Cpu):F2} s"));
        Console.WriteLine(string.Create(inv,
            $"peer  (DuckDB read_csv + regexp_extract): best {p[0]:F2} s = {eventLines / p[0] / 1e6:F2} M lines/s; median {Median(p):F2} s; peak RSS {peer.Max(x => x.RssKb) / 1024} MB; CPU (user+sys) best {peer.Min(x => x.Cpu):F2} s"));
        if (before.Count > 0)
        {
            var b = before.Select(x => x.Wall).Order().ToList();
            Console.WriteLine(string.Create(inv,
                $"baseline ({baselineCli}): best {b[0]:F2} s = {eventLines / b[0] / 1e6:F2} M lines/s; median {Median(b):F2} s; peak RSS {before.Max(x => x.RssKb) / 1024} MB; CPU (user+sys) best {before.Min(x => x.Cpu):F2} s; baseline/ours best/best {b[0] / o[0]:F2}x"));
        }
        Console.WriteLine(string.Create(inv, $"ratio peer/ours: best/best {p[0] / o[0]:F2}x, median/median {Median(p) / Median(o):F2}x; CPU best/best {peer.Min(x => x.Cpu) / ours.Min(x => x.Cpu):F2}x"));
        var rssMb = ours.Max(x => x.RssKb) / 1024;
        Console.WriteLine(string.Create(inv,
            $"targets (issue 21): >= 1.5 M lines/s end to end: {(eventLines / o[0] >= 1.5e6 ? "held" : "NOT held")} (best {eventLines / o[0] / 1e6:F2}); >= 3x the peer: {(p[0] / o[0] >= 3 ? "held" : "NOT held")} (best/best {p[0] / o[0]:F2}x); peak RSS <= 512 MB: {(rssMb <= 512 ? "held" : "NOT held")} ({rssMb} MB)"));
        Console.WriteLine("checks: records = event lines = host_events rows, no duplicate (source, source_offset, kind), re-ingest added 0 rows; peer rows = event lines");
        Console.WriteLine($"load average before: {loadBefore}; after: {LoadAverage()}");
        Console.WriteLine(string.Create(inv, $"machine: {Environment.ProcessorCount} cpus, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        return 0;
    }

    /// <summary>Null when our ingest stored exactly one row per event line, none twice, and a re-ingest adds nothing.</summary>
    private static string? CheckOurs(string cli, string file, string db, long eventLines, string stdout)
    {
        using (var doc = JsonDocument.Parse(stdout))
        {
            var records = doc.RootElement.GetProperty("total_records").GetInt64();
            if (records != eventLines)
            {
                return $"ingest reported {records} records for {eventLines} event lines";
            }
        }
        var rows = ScalarLong(db, "SELECT count(*) FROM host_events");
        var distinct = ScalarLong(db, "SELECT count(*) FROM (SELECT DISTINCT source, source_offset, kind FROM host_events)");
        if (rows != eventLines || distinct != rows)
        {
            return $"host_events holds {rows} rows ({distinct} distinct keys) for {eventLines} event lines";
        }
        var (_, _, _, again) = Timed(cli, ["ingest", file, "--db", db, "--json"]);
        using (var doc = JsonDocument.Parse(again))
        {
            if (!doc.RootElement.GetProperty("files")[0].GetProperty("skipped_duplicate_file").GetBoolean())
            {
                return "the re-ingest did not skip the file";
            }
        }
        return ScalarLong(db, "SELECT count(*) FROM host_events") == rows ? null : "the re-ingest added rows";
    }

    private static int Peer(string file, string db)
    {
        using var c = new DuckDBConnection($"DataSource={db}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = PeerSql.Replace("@FILE", file.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal);
        cmd.ExecuteNonQuery();
        return 0;
    }

    private static string[] BenchCommand()
    {
        var host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(IngestVsDuckDbBench).Assembly.Location] : [host];
    }

    private static void WarmPageCache(string file)
    {
        using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        while (fs.Read(buffer) > 0)
        {
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
