using System.Diagnostics;
using System.Globalization;
using System.Text;
using DmaSlip.Ingest;
using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Benchmarks;

/// <summary>
/// <c>trace-ingest [GB]</c>: writes a GB-sized ftrace text file, runs <c>wc -l</c> on it and then the trace parser on one
/// thread (into a counting sink, so the store is not measured), and prints lines/s, the ratio to wc -l and the peak RSS.
/// </summary>
internal static class TraceIngestBench
{
    private sealed class CountingSink : IIngestSink
    {
        public long Rows;

        public bool ContainsFile(string contentHash) => false;

        public void Atomically(Action work) => work();

        public void Add<T>(T row) where T : notnull => Rows++;

        public void AddHostEvents(string host, string source, ReadOnlySpan<HostEventEntry> events) => Rows += events.Length;

        public long ImportParquet(string path, string table) => 0;
    }

    public static int Run(string[] args)
    {
        var gb = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        var path = Path.Combine(Path.GetTempPath(), $"dmaslip-bench-{gb:0.##}g.trace");
        var target = (long)(gb * (1L << 30));
        if (!File.Exists(path) || new FileInfo(path).Length < target)
        {
            Write(path, target);
        }
        var size = new FileInfo(path).Length;
        var sw = Stopwatch.StartNew();
        var wc = Process.Start(new ProcessStartInfo("wc", ["-l", path]) { RedirectStandardOutput = true })!;
        var wcOut = wc.StandardOutput.ReadToEnd();
        wc.WaitForExit();
        var wcSeconds = sw.Elapsed.TotalSeconds;
        var lines = long.Parse(wcOut.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

        var sink = new CountingSink();
        var ctx = new FileContext(sink, path, new string('0', 64), Formats.Ftrace, "bench", 0);
        sw.Restart();
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            new TraceParser().Parse(fs, ctx);
        }
        var parseSeconds = sw.Elapsed.TotalSeconds;
        var counted = ctx.Records + ctx.Skipped + ctx.Quarantined;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file: {path} ({size / 1e9:F2} GB, {lines:N0} lines)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wc -l: {wcSeconds:F2} s ({lines / wcSeconds / 1e6:F1} M lines/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trace parser (1 thread): {parseSeconds:F2} s = {counted / parseSeconds / 1e6:F2} M lines/s, {size / parseSeconds / 1e9:F2} GB/s; records {ctx.Records:N0}, skipped {ctx.Skipped:N0}, quarantined {ctx.Quarantined:N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio parser/wc: {parseSeconds / wcSeconds:F2}x"));
        Console.WriteLine("peak RSS: " + PeakRss());
        Console.WriteLine($"machine: {Environment.ProcessorCount} cpus, {Environment.OSVersion}, .NET {Environment.Version}");
        return 0;
    }

    private static string PeakRss() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?";

    private static void Write(string path, long target)
    {
        var rng = new Random(7);
        using var w = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var sb = new StringBuilder(1 << 20);
        long written = 0;
        long i = 0;
        while (written < target)
        {
            sb.Clear();
            for (var k = 0; k < 8192; k++, i++)
            {
                var ts = 1000 + i * 0.000001;
                sb.Append(CultureInfo.InvariantCulture, $"          <idle>-0       [{i % 16:D3}] ..s1. {ts:F6}: ");
                switch (rng.Next(8))
                {
                    case 0 or 1: sb.Append(CultureInfo.InvariantCulture, $"map: IOMMU: iova=0x{rng.NextInt64(1L << 40):x16} - 0x{rng.NextInt64(1L << 40):x16} paddr=0x{rng.NextInt64(1L << 40):x16} size=4096"); break;
                    case 2 or 3: sb.Append(CultureInfo.InvariantCulture, $"unmap: IOMMU: iova=0x{rng.NextInt64(1L << 40):x16} - 0x{rng.NextInt64(1L << 40):x16} size=4096 unmapped_size=4096"); break;
                    case 4: sb.Append("qi_submit: iotlb_inv dmar1: 0x100e2 0x0 0x0 0x0"); break;
                    case 5: sb.Append(CultureInfo.InvariantCulture, $"napi_poll: napi poll on napi struct ffff88810a2b1000 for device eth0 work {rng.Next(65)} budget 64"); break;
                    case 6: sb.Append(CultureInfo.InvariantCulture, $"netif_receive_skb: dev=eth0 skbaddr=ffff88810a2b1000 len={rng.Next(60, 1500)}"); break;
                    default: sb.Append("sched_wakeup: comm=kworker/3:1 pid=77 prio=120 target_cpu=003"); break;
                }
                sb.Append('\n');
            }
            var bytes = Encoding.ASCII.GetBytes(sb.ToString());
            w.Write(bytes);
            written += bytes.Length;
        }
    }
}
