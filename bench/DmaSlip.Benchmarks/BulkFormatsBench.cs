using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

using static DmaSlip.Benchmarks.BenchProcess;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>bulk-formats [--hosts N] [--minutes M] [--quotes Q] [--reps R] [--baseline-cli PATH] [--no-peer] [--keep]</c> (issue 21,
/// the counter streams and market data): writes under /tmp (1) <c>perf stat -I 100 -A -x,</c> per-CPU tracepoint counts
/// (2 CPUs × 6 IOMMU/NAPI/net tracepoints per interval) of N hosts (default 32) for M minutes (default 10: a day is
/// 144×), one file per host under <c>hosts/&lt;host&gt;/</c>, and (2) a LEAN equity tick day of one symbol (Q quotes,
/// default 1,000,000, and Q/4 trades, in their zips; the same CSVs unzipped for the peer); then times, R times each and
/// alternating, each as its own process under <c>/usr/bin/time</c> (wall, CPU, peak RSS): <c>dmaslip ingest</c> of each
/// into a new database, for this CLI (<c>$DMASLIP_CLI</c>, else the Release build) and, with <c>--baseline-cli</c>,
/// another build; and the DuckDB SQL peer a user could write by hand: <c>read_csv</c> of the same files (the LEAN CSVs
/// already unzipped, the session date and time zone written into the SQL: both in the peer's favour) into a table of a
/// new database file with the columns of ours (host, source, device, name, ts_ns, value; ts_ns, bid/ask price and
/// size). Checks that each of our runs stored one <c>host_counters</c> row per counter line and one quote/trade row
/// per tick, with no duplicate key, that a re-ingest adds 0 rows, and that the peer holds a row per line.
/// </summary>
internal static class BulkFormatsBench
{
    private static readonly string[] Tracepoints =
        ["iommu:map", "iommu:unmap", "intel_iommu:qi_submit", "napi:napi_poll", "net:netif_receive_skb", "net:net_dev_xmit"];

    private const string PerfStatPeerSql = """
        CREATE TABLE peer AS
        SELECT regexp_extract(filename, 'hosts/([^/]+)/', 1) AS host, 'perf_stat' AS source, lower(agg) AS device, event AS name,
               epoch_ns(TIMESTAMP '2013-10-07 13:30:00') + CAST(round(secs * 1e9) AS BIGINT) AS ts_ns, value
        FROM read_csv('@DIR/hosts/*/perf-stat.csv', header = false, auto_detect = false, comment = '#', delim = ',', quote = '',
                      escape = '', filename = true, columns = {'secs': 'DOUBLE', 'agg': 'VARCHAR', 'value': 'DOUBLE',
                      'unit': 'VARCHAR', 'event': 'VARCHAR', 'run_ns': 'BIGINT', 'run_pct': 'DOUBLE', 'mv': 'VARCHAR', 'mu': 'VARCHAR'})
        """;

    // 09:30 New York on 2013-10-07 is 13:30 UTC (EDT): the peer is given the offset, ours converts by the zone rules
    private const string LeanPeerSql = """
        CREATE TABLE peer_quotes AS
        SELECT epoch_ns(TIMESTAMP '2013-10-07 04:00:00') + ms * 1000000 AS ts_ns, 'IBM' AS symbol, bid / 10000.0 AS bid_px,
               bid_size, ask / 10000.0 AS ask_px, ask_size
        FROM read_csv('@DIR/20131007_ibm_Quote_Tick.csv', header = false, auto_detect = false, delim = ',', quote = '', escape = '',
                      columns = {'ms': 'BIGINT', 'bid': 'BIGINT', 'bid_size': 'BIGINT', 'ask': 'BIGINT', 'ask_size': 'BIGINT',
                      'exchange': 'VARCHAR', 'cond': 'VARCHAR', 'suspicious': 'VARCHAR'});
        CREATE TABLE peer_trades AS
        SELECT epoch_ns(TIMESTAMP '2013-10-07 04:00:00') + ms * 1000000 AS ts_ns, 'IBM' AS symbol, px / 10000.0 AS px, size
        FROM read_csv('@DIR/20131007_ibm_Trade_Tick.csv', header = false, auto_detect = false, delim = ',', quote = '', escape = '',
                      columns = {'ms': 'BIGINT', 'px': 'BIGINT', 'size': 'BIGINT', 'exchange': 'VARCHAR', 'cond': 'VARCHAR', 'suspicious': 'VARCHAR'});
        """;

    public static int Run(string[] args)
    {
        if (args is ["--peer", var peerWorkload, var peerDir, var peerDb])
        {
            return Peer(peerWorkload, peerDir, peerDb);
        }
        var inv = CultureInfo.InvariantCulture;
        string? Arg(string name) => args.Contains(name) ? args[Array.IndexOf(args, name) + 1] : null;
        var hosts = int.Parse(Arg("--hosts") ?? "32", inv);
        var minutes = int.Parse(Arg("--minutes") ?? "10", inv);
        var quotes = int.Parse(Arg("--quotes") ?? "1000000", inv);
        var reps = int.Parse(Arg("--reps") ?? "2", inv);
        var baseline = Arg("--baseline-cli");
        var cli = Environment.GetEnvironmentVariable("DMASLIP_CLI") ?? Path.Combine(RepoRoot(), "src", "DmaSlip.Cli", "bin", "Release", "net10.0", "dmaslip");
        var work = Path.Combine(Path.GetTempPath(), $"dmaslip-bulk-formats-{Environment.ProcessId}");
        try
        {
            var counters = Path.Combine(work, "counters");
            var lean = Path.Combine(work, "lean", "ibm");
            var leanCsv = Path.Combine(work, "lean-csv");
            Console.WriteLine($"writing {work} ...");
            var counterLines = WritePerfStat(counters, hosts, minutes);
            var (quoteLines, tradeLines) = WriteLean(lean, leanCsv, quotes);
            Console.WriteLine(string.Create(inv, $"perf stat: {hosts} hosts x {minutes} min x 10 intervals/s x 2 CPUs x {Tracepoints.Length} tracepoints = {counterLines:N0} lines; LEAN day: {quoteLines:N0} quotes + {tradeLines:N0} trades"));
            var sides = new List<(string Name, string Cli)> { ("ours", cli) };
            if (baseline is not null)
            {
                sides.Add(("baseline", baseline));
            }
            if (!args.Contains("--no-peer"))
            {
                sides.Add(("peer", ""));
            }
            var results = new Dictionary<(string, string), List<(double Wall, double Cpu, long RssKb)>>();
            for (var r = 0; r < reps; r++)
            {
                foreach (var (workload, input, peerInput, extra) in new[]
                {
                    ("perf-stat", counters, counters, new[] { "--format", "perf-stat" }),
                    ("lean-day", Path.Combine(work, "lean"), leanCsv, Array.Empty<string>()),
                })
                {
                    foreach (var (name, exe) in sides)
                    {
                        var db = Path.Combine(work, $"{name}-{workload}-{r}.duckdb");
                        var load = LoadAverage();
                        var lines = workload == "perf-stat" ? counterLines : quoteLines + tradeLines;
                        (double Wall, long Rss, double Cpu, string Stdout) run = name == "peer"
                            ? Timed(BenchCommand()[0], [.. BenchCommand()[1..], "bulk-formats", "--peer", workload, peerInput, db])
                            : Timed(exe, ["ingest", input, "--db", db, "--json", .. extra]);
                        var error = name == "peer" ? CheckPeer(db, workload, counterLines, quoteLines, tradeLines)
                            : CheckOurs(exe, input, extra, db, run.Stdout, workload, counterLines, quoteLines, tradeLines);
                        if (error is not null)
                        {
                            Console.WriteLine($"ERROR: {name} {workload}: {error}");
                            return 1;
                        }
                        DeleteDb(db);
                        Console.WriteLine(string.Create(inv,
                            $"  run {r + 1} {name,-8} {workload,-9}: {run.Wall,6:F2} s wall = {lines / run.Wall / 1e6:F2} M lines/s, {run.Cpu,6:F2} s CPU, {run.Rss / 1024} MB peak RSS (load average {load})"));
                        (results.TryGetValue((name, workload), out var list) ? list : results[(name, workload)] = []).Add((run.Wall, run.Cpu, run.Rss));
                    }
                }
            }
            foreach (var ((name, workload), list) in results.OrderBy(k => k.Key.Item2))
            {
                var lines = workload == "perf-stat" ? counterLines : quoteLines + tradeLines;
                Console.WriteLine(string.Create(inv,
                    $"{workload,-9} {name,-8}: best wall {list.Min(x => x.Wall):F2} s = {lines / list.Min(x => x.Wall) / 1e6:F2} M lines/s, best CPU {list.Min(x => x.Cpu):F2} s, peak RSS {list.Max(x => x.RssKb) / 1024} MB"));
            }
            foreach (var other in sides.Skip(1).Select(s => s.Name))
            {
                foreach (var workload in new[] { "perf-stat", "lean-day" })
                {
                    var o = results[("ours", workload)];
                    var b = results[(other, workload)];
                    Console.WriteLine(string.Create(inv,
                        $"{workload,-9} {other}/ours: wall best/best {b.Min(x => x.Wall) / o.Min(x => x.Wall):F2}x, CPU best/best {b.Min(x => x.Cpu) / o.Min(x => x.Cpu):F2}x"));
                }
            }
            Console.WriteLine("checks: ours stored one row per counter line / tick with no duplicate key and a re-ingest added 0 rows; the peer holds one row per line");
            Console.WriteLine(string.Create(inv, $"machine: {Environment.ProcessorCount} cpus, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average now {LoadAverage()}"));
            return 0;
        }
        finally
        {
            if (!args.Contains("--keep") && Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>Null when our ingest stored one row per line, no key twice, and a re-ingest added nothing.</summary>
    private static string? CheckOurs(string cli, string input, string[] extra, string db, string stdout, string workload, long counterLines, long quoteLines, long tradeLines)
    {
        var error = FirstError(stdout);
        if (error is not null)
        {
            return error;
        }
        string[] digest = workload == "perf-stat"
            ? ["SELECT count(*) FROM host_counters", "SELECT count(*) FROM (SELECT DISTINCT host, source, device, name, ts_ns FROM host_counters)"]
            : ["SELECT count(*) FROM market_quotes", "SELECT count(*) FROM market_trades"];
        var rows = digest.Select(q => ScalarLong(db, q)).ToArray();
        long[] expected = workload == "perf-stat" ? [counterLines, counterLines] : [quoteLines, tradeLines];
        if (!rows.SequenceEqual(expected))
        {
            return $"stored [{string.Join(", ", rows)}] rows (total, distinct keys / quotes, trades), expected [{string.Join(", ", expected)}]";
        }
        Timed(cli, ["ingest", input, "--db", db, "--json", .. extra]);
        return digest.Select(q => ScalarLong(db, q)).SequenceEqual(expected) ? null : "the re-ingest added rows";
    }

    private static string? CheckPeer(string db, string workload, long counterLines, long quoteLines, long tradeLines)
    {
        long[] rows = workload == "perf-stat" ? [ScalarLong(db, "SELECT count(*) FROM peer")]
            : [ScalarLong(db, "SELECT count(*) FROM peer_quotes"), ScalarLong(db, "SELECT count(*) FROM peer_trades")];
        long[] expected = workload == "perf-stat" ? [counterLines] : [quoteLines, tradeLines];
        return rows.SequenceEqual(expected) ? null : $"the peer holds [{string.Join(", ", rows)}] rows, expected [{string.Join(", ", expected)}]";
    }

    private static int Peer(string workload, string dir, string db)
    {
        using var c = new DuckDB.NET.Data.DuckDBConnection($"DataSource={db}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = (workload == "perf-stat" ? PerfStatPeerSql : LeanPeerSql).Replace("@DIR", dir.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal);
        cmd.ExecuteNonQuery();
        return 0;
    }

    private static string[] BenchCommand()
    {
        var host = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, typeof(BulkFormatsBench).Assembly.Location] : [host];
    }

    private static string? FirstError(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var f in doc.RootElement.GetProperty("files").EnumerateArray())
        {
            if (f.GetProperty("error").ValueKind != JsonValueKind.Null)
            {
                return $"{f.GetProperty("path")}: {f.GetProperty("error")}";
            }
        }
        return null;
    }

    private static long WritePerfStat(string dir, int hosts, int minutes)
    {
        var rng = new Random(21);
        long lines = 0;
        var sb = new StringBuilder(1 << 20);
        for (var h = 0; h < hosts; h++)
        {
            var hostDir = Path.Combine(dir, "hosts", $"ny4-{h + 1:D2}");
            Directory.CreateDirectory(hostDir);
            using var w = new StreamWriter(Path.Combine(hostDir, "perf-stat.csv"), false, new UTF8Encoding(false), 1 << 20);
            w.Write("# started on Mon Oct  7 13:30:00 2013\n\n");
            for (var i = 1; i <= minutes * 600; i++)
            {
                sb.Clear();
                var t = (i * 0.1) + 0.000123456;
                for (var cpu = 0; cpu < 2; cpu++)
                {
                    foreach (var tp in Tracepoints)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"{t:F9},CPU{cpu},{rng.Next(50_000)},,{tp},100000000,100.00,,\n");
                        lines++;
                    }
                }
                w.Write(sb);
            }
        }
        return lines;
    }

    private static (long Quotes, long Trades) WriteLean(string dir, string csvDir, int quotes)
    {
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(csvDir);
        var rng = new Random(7);
        var trades = quotes / 4;
        // 09:30 to 16:00 New York in ms since midnight, increasing
        static long Ms(long i, long n) => 34_200_000 + (i * 23_400_000 / n);
        using (var zip = ZipFile.Open(Path.Combine(dir, "20131007_quote.zip"), ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("20131007_ibm_Quote_Tick.csv").Open(), new UTF8Encoding(false), 1 << 20))
        {
            for (long i = 0; i < quotes; i++)
            {
                var bid = 1_800_000 + rng.Next(20_000);
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{Ms(i, quotes)},{bid},{100 * (1 + rng.Next(30))},{bid + 100 + rng.Next(500)},{100 * (1 + rng.Next(30))},{(char)('P' + rng.Next(4))},1,0\n"));
            }
        }
        using (var zip = ZipFile.Open(Path.Combine(dir, "20131007_trade.zip"), ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("20131007_ibm_Trade_Tick.csv").Open(), new UTF8Encoding(false), 1 << 20))
        {
            for (long i = 0; i < trades; i++)
            {
                w.Write(string.Create(CultureInfo.InvariantCulture, $"{Ms(i, trades)},{1_800_000 + rng.Next(20_000)},{1 + rng.Next(500)},{(char)('P' + rng.Next(4))},00000000,0\n"));
            }
        }
        // the peer reads the CSVs as they are in the zips (DuckDB's read_csv reads no zip)
        foreach (var zip in Directory.GetFiles(dir, "*.zip"))
        {
            ZipFile.ExtractToDirectory(zip, csvDir);
        }
        return (quotes, trades);
    }
}
