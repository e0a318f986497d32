using System.Globalization;
using System.Text;

namespace DmaSlip.Benchmarks;

/// <summary>
/// The trace text of the trace benchmarks: ftrace <c>trace</c> lines with 5-character flags, iommu map/unmap 50 %,
/// qi_submit, napi_poll and netif_receive_skb 12.5 % each, and an unrelated sched event 12.5 % (skipped). Seeded, so
/// every run parses the same bytes.
/// </summary>
internal static class TraceBenchText
{
    public static void Write(Stream output, long targetBytes)
    {
        var rng = new Random(7);
        var sb = new StringBuilder(1 << 20);
        long written = 0;
        long i = 0;
        while (written < targetBytes)
        {
            sb.Clear();
            for (var k = 0; k < 8192; k++, i++)
            {
                Append(sb, rng, i);
            }
            var bytes = Encoding.ASCII.GetBytes(sb.ToString());
            output.Write(bytes);
            written += bytes.Length;
        }
    }

    public static byte[] Bytes(int lines)
    {
        var rng = new Random(7);
        var sb = new StringBuilder(lines * 128);
        for (var i = 0; i < lines; i++)
        {
            Append(sb, rng, i);
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static void Append(StringBuilder sb, Random rng, long i)
    {
        var ts = 1000 + (i * 0.000001);
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
}
