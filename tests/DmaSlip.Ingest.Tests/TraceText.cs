using System.Globalization;
using System.Text;

namespace DmaSlip.Ingest.Tests;

/// <summary>Writes realistic ftrace text (map/unmap/qi_submit/napi_poll/rx/tx plus unrelated events) for tests and benches.</summary>
internal static class TraceText
{
    public static void Write(string path, int lines, int seed)
    {
        var rng = new Random(seed);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        w.Write("# tracer: nop\n#\n");
        var sb = new StringBuilder(256);
        for (var i = 0; i < lines; i++)
        {
            sb.Clear();
            var ts = 1000 + i * 0.000011 + seed;
            var cpu = rng.Next(16);
            sb.Append(CultureInfo.InvariantCulture, $"          <idle>-0       [{cpu:D3}] ..s1. {ts:F6}: ");
            switch (rng.Next(10))
            {
                case 0 or 1: sb.Append(CultureInfo.InvariantCulture, $"map: IOMMU: iova=0x{rng.NextInt64(1L << 40):x16} - 0x{rng.NextInt64(1L << 40):x16} paddr=0x{rng.NextInt64(1L << 40):x16} size=4096"); break;
                case 2 or 3: sb.Append(CultureInfo.InvariantCulture, $"unmap: IOMMU: iova=0x{rng.NextInt64(1L << 40):x16} - 0x{rng.NextInt64(1L << 40):x16} size=4096 unmapped_size=4096"); break;
                case 4: sb.Append(CultureInfo.InvariantCulture, $"qi_submit: iotlb_inv dmar1: 0x{0x100e2 + (rng.Next(4) << 16):x} 0x0 0x0 0x0"); break;
                case 5 or 6: sb.Append(CultureInfo.InvariantCulture, $"napi_poll: napi poll on napi struct ffff88810a2b{rng.Next(4096):x4} for device eth0 work {rng.Next(65)} budget 64"); break;
                case 7: sb.Append(CultureInfo.InvariantCulture, $"netif_receive_skb: dev=eth0 skbaddr=ffff88810a2b{rng.Next(65536):x4} len={rng.Next(60, 1500)}"); break;
                case 8: sb.Append(CultureInfo.InvariantCulture, $"net_dev_xmit: dev=eth0 skbaddr=ffff88810a2b{rng.Next(65536):x4} len={rng.Next(60, 1500)} rc=0"); break;
                default: sb.Append("sched_wakeup: comm=kworker/3:1 pid=77 prio=120 target_cpu=003"); break;
            }
            sb.Append('\n');
            w.Write(sb);
        }
    }
}
