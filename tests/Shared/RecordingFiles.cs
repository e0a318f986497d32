using System.Globalization;
using System.Text;

namespace DmaSlip.Testing;

/// <summary>
/// Writes a host's recording in the real formats a collector leaves (what the simulator writes, what
/// <c>agent --source replay DIR</c> and <c>ingest</c> read): <c>DIR/hosts/HOST/perf-stat-tracepoints.csv</c>
/// (<c>perf stat -I 100 -x, -A</c> per-CPU tracepoint counts, "# started on" header) and <c>interrupts.txt</c> (one
/// <c>/proc/interrupts</c> snapshot: queue N's vector <c>eth0-TxRx-N</c> counts on CPU N). The counts of each
/// (window, queue) come from <c>counts</c>; the frames are whatever ingest → features make of them.
/// </summary>
internal static class RecordingFiles
{
    public const long StartSeconds = 1_764_000_000L;
    public const long WindowNs = 100_000_000L;

    /// <summary>Writes the files; <paramref name="counts"/>(window, queue) = (qi_submit, iommu:map) counts in that 100 ms interval.</summary>
    public static string Write(string dir, string host, int windows, int queues, Func<int, int, (long Flushes, long Maps)> counts)
    {
        var hostDir = Path.Combine(dir, "hosts", host);
        Directory.CreateDirectory(hostDir);
        var started = DateTimeOffset.FromUnixTimeSeconds(StartSeconds).UtcDateTime;
        var perf = new StringBuilder()
            .Append("# started on ").Append(started.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture)).Append("\n\n");
        for (var w = 0; w < windows; w++)
        {
            var t = ((w + 1) * WindowNs / 1e9).ToString("F9", CultureInfo.InvariantCulture);
            for (var q = 0; q < queues; q++)
            {
                var (flushes, maps) = counts(w, q);
                Row(perf, t, q, maps, "iommu:map");
                Row(perf, t, q, maps, "iommu:unmap");
                Row(perf, t, q, flushes, "intel_iommu:qi_submit");
                Row(perf, t, q, 200, "napi:napi_poll");
            }
        }
        File.WriteAllText(Path.Combine(hostDir, "perf-stat-tracepoints.csv"), perf.ToString());

        var irq = new StringBuilder().Append(StartSeconds.ToString(CultureInfo.InvariantCulture)).Append(".000000000\n");
        irq.Append("    ").AppendJoin(' ', Enumerable.Range(0, queues).Select(c => ("CPU" + c.ToString(CultureInfo.InvariantCulture)).PadLeft(10))).Append('\n');
        for (var q = 0; q < queues; q++)
        {
            irq.Append((100 + q).ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append(':');
            for (var c = 0; c < queues; c++)
            {
                irq.Append((c == q ? 1000 : 0).ToString(CultureInfo.InvariantCulture).PadLeft(11));
            }
            irq.Append("  IR-PCI-MSIX-0000:3b:00.0 ").Append(I(q + 1)).Append("-edge      eth0-TxRx-").Append(I(q)).Append('\n');
        }
        File.WriteAllText(Path.Combine(hostDir, "interrupts.txt"), irq.ToString());
        return hostDir;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder sb, string t, int cpu, long count, string evt) =>
        sb.Append(t).Append(",CPU").Append(I(cpu)).Append(',').Append(I(count)).Append(",,").Append(evt).Append(",100000000,100.00,,\n");
}
