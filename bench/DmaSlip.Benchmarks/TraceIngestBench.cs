using System.Diagnostics;
using System.Globalization;
using DmaSlip.Ingest;
using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>trace-ingest [GB] [--reps N] [--threads T] [--keep]</c>: writes a GB-sized ftrace text file under /tmp (and fsyncs
/// it), reads it once so all sides start from the page cache, then times <c>wc -l</c>, the trace parser on one thread
/// and the trace parser on T threads (default: one per processor; chunks delivered in file order), each into a counting
/// sink (the store is not measured), N times each, alternating, in this one process run. Checks for both parser runs
/// that records + skipped + quarantined = wc's count; prints the best and median of each, lines/s, the ratios
/// parser/wc, the peak RSS (VmHWM) and the load average before and after. The file is deleted at the end unless
/// <c>--keep</c>.
/// </summary>
internal static class TraceIngestBench
{
    public static int Run(string[] args)
    {
        var gb = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var reps = args.Contains("--reps") ? int.Parse(args[Array.IndexOf(args, "--reps") + 1], CultureInfo.InvariantCulture) : 3;
        var keep = args.Contains("--keep");
        var threads = args.Contains("--threads") ? int.Parse(args[Array.IndexOf(args, "--threads") + 1], CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        var path = Path.Combine(Path.GetTempPath(), $"dmaslip-bench-{gb.ToString("0.##", CultureInfo.InvariantCulture)}g.trace");
        var target = (long)(gb * (1L << 30));
        if (!File.Exists(path) || new FileInfo(path).Length < target)
        {
            Console.WriteLine($"writing {path} ...");
            Write(path, target);
        }
        try
        {
            return Measure(path, reps, threads);
        }
        finally
        {
            if (!keep)
            {
                File.Delete(path);
            }
        }
    }

    private static int Measure(string path, int reps, int threads)
    {
        var size = new FileInfo(path).Length;
        var loadBefore = LoadAverage();
        WcLines(path); // warm the page cache: all sides then read the same cached pages
        var wc = new List<double>();
        var one = new List<double>();
        var many = new List<double>();
        long lines = 0;
        FileContext? ctxOne = null, ctxMany = null;
        for (var i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            lines = WcLines(path);
            wc.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            ctxOne = ParseOnce(path, 1);
            one.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            ctxMany = ParseOnce(path, threads);
            many.Add(sw.Elapsed.TotalSeconds);
        }
        foreach (var ctx in new[] { ctxOne!, ctxMany! })
        {
            var counted = ctx.Records + ctx.Skipped + ctx.Quarantined;
            if (counted != lines)
            {
                Console.WriteLine($"ERROR: parser accounted for {counted} lines, wc -l counted {lines}");
                return 1;
            }
        }
        if (ctxOne!.Records != ctxMany!.Records || ctxOne.Skipped != ctxMany.Skipped || ctxOne.Quarantined != ctxMany.Quarantined
            || ((CountingSink)ctxOne.Sink).Rows != ((CountingSink)ctxMany.Sink).Rows)
        {
            Console.WriteLine("ERROR: the parallel parse counted differently from the sequential one");
            return 1;
        }
        wc.Sort();
        one.Sort();
        many.Sort();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"file: {path} ({size / 1e9:F2} GB, {lines:N0} lines); {reps} runs of each, alternating"));
        Console.WriteLine(string.Create(inv, $"wc -l: best {wc[0]:F3} s ({lines / wc[0] / 1e6:F1} M lines/s), median {Median(wc):F3} s"));
        foreach (var (name, t) in new[] { ("1 thread", one), ($"{threads} threads", many) })
        {
            Console.WriteLine(string.Create(inv,
                $"trace parser ({name}): best {t[0]:F3} s = {lines / t[0] / 1e6:F2} M lines/s, {size / t[0] / 1e9:F2} GB/s; median {Median(t):F3} s = {lines / Median(t) / 1e6:F2} M lines/s; parser/wc best/best {t[0] / wc[0]:F2}x, median/median {Median(t) / Median(wc):F2}x"));
        }
        Console.WriteLine(string.Create(inv, $"records {ctxOne.Records:N0}, skipped {ctxOne.Skipped:N0}, quarantined {ctxOne.Quarantined:N0} (both parses)"));
        Console.WriteLine("peak RSS (VmHWM): " + PeakRss());
        Console.WriteLine($"load average before: {loadBefore}; after: {LoadAverage()}");
        Console.WriteLine(string.Create(inv, $"machine: {Environment.ProcessorCount} cpus, {Environment.OSVersion}, .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        return 0;
    }

    private static FileContext ParseOnce(string path, int threads)
    {
        var ctx = new FileContext(new CountingSink(), path, new string('0', 64), Formats.Ftrace, "bench", 0);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        new TraceParser(threads).Parse(fs, ctx);
        return ctx;
    }

    private static long WcLines(string path)
    {
        using var wc = Process.Start(new ProcessStartInfo("wc", ["-l", path]) { RedirectStandardOutput = true })!;
        var output = wc.StandardOutput.ReadToEnd();
        wc.WaitForExit();
        return long.Parse(output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string PeakRss() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?";

    private static void Write(string path, long target)
    {
        using var w = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        TraceBenchText.Write(w, target);
        // write the dirty pages out now: background writeback during the timed runs would steal one of two cores
        w.Flush(flushToDisk: true);
    }
}
