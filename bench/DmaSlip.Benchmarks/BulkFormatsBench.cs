using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

using static DmaSlip.Benchmarks.BenchProcess;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>bulk-formats [--hosts N] [--minutes M] [--quotes Q] [--reps R] [--baseline-cli PATH] [--keep]</c> (issue 21, the
/// counter streams and market data): writes under /tmp (1) <c>perf stat -I 100 -A -x,</c> per-CPU tracepoint counts
/// (2 CPUs × 6 IOMMU/NAPI/net tracepoints per interval) of N hosts (default 32) for M minutes (default 10: a day is
/// 144×), one file per host under <c>hosts/&lt;host&gt;/</c>, and (2) a LEAN equity tick day of one symbol (Q quotes,
/// default 1,000,000, and Q/4 trades, in their zips); then times, R times each and alternating, <c>dmaslip ingest</c>
/// of each into a new database as its own process under <c>/usr/bin/time</c> (wall, CPU, peak RSS), for this CLI
/// (<c>$DMASLIP_CLI</c>, else the Release build) and, with <c>--baseline-cli</c>, another build (e.g. main before this
/// issue). Checks that each run stored one <c>host_counters</c> row per counter line and one quote/trade row per tick.
/// </summary>
internal static class BulkFormatsBench
{
    private static readonly string[] Tracepoints =
        ["iommu:map", "iommu:unmap", "intel_iommu:qi_submit", "napi:napi_poll", "net:netif_receive_skb", "net:net_dev_xmit"];

    public static int Run(string[] args)
    {
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
            Console.WriteLine($"writing {work} ...");
            var counterLines = WritePerfStat(counters, hosts, minutes);
            var (quoteLines, tradeLines) = WriteLean(lean, quotes);
            Console.WriteLine(string.Create(inv, $"perf stat: {hosts} hosts x {minutes} min x 10 intervals/s x 2 CPUs x {Tracepoints.Length} tracepoints = {counterLines:N0} lines; LEAN day: {quoteLines:N0} quotes + {tradeLines:N0} trades"));
            var sides = new List<(string Name, string Cli)> { ("ours", cli) };
            if (baseline is not null)
            {
                sides.Add(("baseline", baseline));
            }
            var results = new Dictionary<(string, string), List<(double Wall, double Cpu, long RssKb)>>();
            for (var r = 0; r < reps; r++)
            {
                foreach (var (name, exe) in sides)
                {
                    foreach (var (workload, input, extra, expect) in new[]
                    {
                        ("perf-stat", counters, new[] { "--format", "perf-stat" }, ("host_counters", counterLines)),
                        ("lean-day", Path.Combine(work, "lean"), Array.Empty<string>(), ("market_quotes", quoteLines)),
                    })
                    {
                        var db = Path.Combine(work, $"{name}-{workload}-{r}.duckdb");
                        var load = LoadAverage();
                        var (wall, rss, cpu, stdout) = Timed(exe, ["ingest", input, "--db", db, "--json", .. extra]);
                        var error = FirstError(stdout);
                        if (error is not null)
                        {
                            Console.WriteLine($"ERROR: {name} {workload}: {error}");
                            return 1;
                        }
                        var rows = ScalarLong(db, $"SELECT count(*) FROM {expect.Item1}");
                        var trades = workload == "lean-day" ? ScalarLong(db, "SELECT count(*) FROM market_trades") : 0;
                        if (rows != expect.Item2 || (workload == "lean-day" && trades != tradeLines))
                        {
                            Console.WriteLine($"ERROR: {name} {workload} stored {rows} {expect.Item1} rows ({trades} trades), expected {expect.Item2}");
                            return 1;
                        }
                        DeleteDb(db);
                        var lines = workload == "perf-stat" ? counterLines : quoteLines + tradeLines;
                        Console.WriteLine(string.Create(inv,
                            $"  run {r + 1} {name,-8} {workload,-9}: {wall,6:F2} s wall, {cpu,6:F2} s CPU = {lines / cpu / 1e6:F2} M lines per CPU-second, {rss / 1024} MB peak RSS (load average {load})"));
                        (results.TryGetValue((name, workload), out var list) ? list : results[(name, workload)] = []).Add((wall, cpu, rss));
                    }
                }
            }
            foreach (var ((name, workload), list) in results.OrderBy(k => k.Key.Item2))
            {
                Console.WriteLine(string.Create(inv,
                    $"{workload,-9} {name,-8}: best wall {list.Min(x => x.Wall):F2} s, best CPU {list.Min(x => x.Cpu):F2} s, peak RSS {list.Max(x => x.RssKb) / 1024} MB"));
            }
            if (baseline is not null)
            {
                foreach (var workload in new[] { "perf-stat", "lean-day" })
                {
                    var o = results[("ours", workload)];
                    var b = results[("baseline", workload)];
                    Console.WriteLine(string.Create(inv,
                        $"{workload,-9} baseline/ours: wall best/best {b.Min(x => x.Wall) / o.Min(x => x.Wall):F2}x, CPU best/best {b.Min(x => x.Cpu) / o.Min(x => x.Cpu):F2}x"));
                }
            }
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

    private static (long Quotes, long Trades) WriteLean(string dir, int quotes)
    {
        Directory.CreateDirectory(dir);
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
        return (quotes, trades);
    }
}
