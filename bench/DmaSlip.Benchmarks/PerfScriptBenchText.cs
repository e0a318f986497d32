using System.Globalization;
using System.Text;

namespace DmaSlip.Benchmarks;

/// <summary>
/// The perf-script text of the ingest bench (<c>perf script</c> of iommu:map/unmap 25 % each, intel_iommu:qi_submit,
/// napi:napi_poll, net:netif_receive_skb and net:net_dev_xmit 12.5 % each, behind a <c># hostname :</c> header), about
/// 120 bytes a line. Seeded, so every run ingests the same bytes; every line is a record.
/// </summary>
internal static class PerfScriptBenchText
{
    /// <summary>Writes <paramref name="lines"/> event lines (or, when <paramref name="targetBytes"/> &gt; 0, lines until that size); returns the event lines.</summary>
    public static long Write(string path, long lines, long targetBytes = 0)
    {
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        output.Write("# ========\n# hostname : trade-07\n# ========\n#\n"u8);
        var rng = new Random(7);
        var sb = new StringBuilder(1 << 21);
        long written = 0;
        long i = 0;
        while (targetBytes > 0 ? written < targetBytes : i < lines)
        {
            sb.Clear();
            for (var k = 0; k < 8192 && (targetBytes > 0 || i < lines); k++, i++)
            {
                Append(sb, rng, i);
            }
            var bytes = Encoding.ASCII.GetBytes(sb.ToString());
            output.Write(bytes);
            written += bytes.Length;
        }
        // write the dirty pages out now: background writeback during the timed runs would steal one of two cores
        output.Flush(flushToDisk: true);
        return i;
    }

    private static void Append(StringBuilder sb, Random rng, long i)
    {
        var ts = 1000 + (i * 0.000001);
        sb.Append(CultureInfo.InvariantCulture, $"  swapper     0 [{i % 16:D3}] {ts,12:F6}: ");
        switch (rng.Next(8))
        {
            case 0 or 1: sb.Append(CultureInfo.InvariantCulture, $"iommu:map: IOMMU: iova=0x{rng.NextInt64(1L << 40):x16} - 0x{rng.NextInt64(1L << 40):x16} paddr=0x{rng.NextInt64(1L << 40):x16} size=4096"); break;
            case 2 or 3: sb.Append(CultureInfo.InvariantCulture, $"iommu:unmap: IOMMU: iova=0x{rng.NextInt64(1L << 40):x16} - 0x{rng.NextInt64(1L << 40):x16} size=4096 unmapped_size=4096"); break;
            case 4: sb.Append("intel_iommu:qi_submit: iotlb_inv dmar1: 0x100e2 0x0 0x0 0x0"); break;
            case 5: sb.Append(CultureInfo.InvariantCulture, $"napi:napi_poll: napi poll on napi struct 0xffff88810a2b1000 for device eth0 work {rng.Next(65)} budget 64"); break;
            case 6: sb.Append(CultureInfo.InvariantCulture, $"net:netif_receive_skb: dev=eth0 skbaddr=0xffff88810a2b1000 len={rng.Next(60, 1500)}"); break;
            default: sb.Append(CultureInfo.InvariantCulture, $"net:net_dev_xmit: dev=eth0 skbaddr=0xffff88810a2b1000 len={rng.Next(60, 1500)} rc=0"); break;
        }
        sb.Append('\n');
    }
}
