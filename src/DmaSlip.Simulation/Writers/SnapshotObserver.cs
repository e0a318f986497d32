using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Writers;

/// <summary>
/// Periodic snapshot series, each snapshot a <c>date +%s.%N</c> line followed by the command's exact output:
/// <c>ethtool -S &lt;dev&gt;</c> (mlx5 names incl. page-pool counters), <c>/proc/net/softnet_stat</c> (15 hex
/// columns per CPU), <c>/proc/interrupts</c> (the NIC's completion vectors, counted on the CPU each is affine to)
/// and <c>/sys/kernel/debug/iommu/intel/dmar_perf_latency</c>.
/// </summary>
internal sealed class SnapshotObserver : IHostObserver, IDisposable
{
    public const int Cpus = 32;
    private readonly StreamWriter _ethtool, _softnet, _dmar, _irq;
    private readonly int _everyMs;
    private readonly HostSetup _setup;
    private readonly long _startNs;

    public SnapshotObserver(string dir, HostSetup setup, long startNs, int everyMs)
    {
        _setup = setup;
        _startNs = startNs;
        _everyMs = everyMs;
        var dev = setup.Info.Device;
        _ethtool = Open(Path.Combine(dir, $"ethtool-S.{dev}.txt"));
        _softnet = Open(Path.Combine(dir, "softnet_stat.txt"));
        _dmar = Open(Path.Combine(dir, "dmar_perf_latency.txt"));
        _irq = Open(Path.Combine(dir, "interrupts.txt"));
    }

    private static StreamWriter Open(string path) => new(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

    public void OnStep(HostModel model, int ms, long tsNs)
    {
        if (ms % _everyMs == 0)
        {
            Snapshot(model, tsNs);
        }
    }

    public void Complete(HostModel model, long endNs)
    {
        Snapshot(model, endNs);
        Dispose();
    }

    private void Snapshot(HostModel m, long tsNs)
    {
        // The collector's `date +%s.%N` runs after its sleep wakes and the previous reads return: tens of µs past the
        // boundary, different on every host and every snapshot (two hosts never print the same stamps, so two idle
        // hosts' files are not byte-identical either).
        var stamp = Fmt.UnixSeconds(tsNs + CollectorDelayNs(_setup.Index, _snapshots++));
        _ethtool.WriteLine(stamp);
        WriteEthtool(m);
        _softnet.WriteLine(stamp);
        WriteSoftnet(m);
        _dmar.WriteLine(stamp);
        WriteDmar(m);
        _irq.WriteLine(stamp);
        WriteInterrupts(m);
        _ = _startNs;
    }

    private long _snapshots;

    /// <summary>20–120 µs, a deterministic hash of (host, snapshot) so the same seed writes the same bytes.</summary>
    internal static long CollectorDelayNs(int host, long snapshot)
    {
        var x = ((ulong)(host + 1) * 0x9E3779B97F4A7C15UL) ^ ((ulong)(snapshot + 1) * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 31;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 29;
        return 20_000 + (long)(x % 100_000);
    }

    private void Stat(string name, long value)
    {
        _ethtool.Write("     ");
        _ethtool.Write(name);
        _ethtool.Write(": ");
        _ethtool.WriteLine(value.ToString(Fmt.Inv));
    }

    private void WriteEthtool(HostModel m)
    {
        _ethtool.WriteLine("NIC statistics:");
        var c = m.Counters;
        QueueCounters t = default;
        foreach (ref readonly var q in c)
        {
            t.RxPackets += q.RxPackets;
            t.RxBytes += q.RxBytes;
            t.TxPackets += q.TxPackets;
            t.TxBytes += q.TxBytes;
            t.RxOutOfBuffer += q.RxOutOfBuffer;
            t.PpAllocFast += q.PpAllocFast;
            t.PpAllocSlow += q.PpAllocSlow;
            t.PpRecycleCached += q.PpRecycleCached;
            t.PpRecycleRing += q.PpRecycleRing;
            t.PpReleasedRef += q.PpReleasedRef;
        }
        var waive = _setup.Pool.NumaMisplaced;
        Stat("rx_packets", t.RxPackets);
        Stat("rx_bytes", t.RxBytes);
        Stat("tx_packets", t.TxPackets);
        Stat("tx_bytes", t.TxBytes);
        Stat("rx_out_of_buffer", t.RxOutOfBuffer);
        PagePool("rx", t, waive);
        for (var i = 0; i < c.Length; i++)
        {
            Stat($"ch{i}_events", c[i].Events);
            Stat($"ch{i}_poll", c[i].Polls);
            Stat($"ch{i}_arm", c[i].Arms);
            Stat($"ch{i}_aff_change", 0);
            Stat($"ch{i}_force_irq", 0);
            Stat($"ch{i}_eq_rearm", 0);
        }
        for (var i = 0; i < c.Length; i++)
        {
            Stat($"rx{i}_packets", c[i].RxPackets);
            Stat($"rx{i}_bytes", c[i].RxBytes);
            Stat($"rx{i}_buff_alloc_err", 0);
            Stat($"rx{i}_recover", 0);
            PagePool($"rx{i}", c[i], waive);
        }
        for (var i = 0; i < c.Length; i++)
        {
            Stat($"tx{i}_packets", c[i].TxPackets);
            Stat($"tx{i}_bytes", c[i].TxBytes);
            Stat($"tx{i}_dropped", 0);
            Stat($"tx{i}_stopped", 0);
            Stat($"tx{i}_wake", 0);
        }
    }

    private void PagePool(string prefix, in QueueCounters q, bool waive)
    {
        Stat(prefix + "_pp_alloc_fast", q.PpAllocFast);
        Stat(prefix + "_pp_alloc_slow", q.PpAllocSlow);
        Stat(prefix + "_pp_alloc_slow_high_order", 0);
        Stat(prefix + "_pp_alloc_empty", q.PpAllocSlow);
        Stat(prefix + "_pp_alloc_refill", q.PpAllocSlow / 64);
        Stat(prefix + "_pp_alloc_waive", waive ? q.PpAllocSlow : 0);
        Stat(prefix + "_pp_recycle_cached", q.PpRecycleCached);
        Stat(prefix + "_pp_recycle_cache_full", 0);
        Stat(prefix + "_pp_recycle_ring", q.PpRecycleRing);
        Stat(prefix + "_pp_recycle_ring_full", 0);
        Stat(prefix + "_pp_recycle_released_ref", q.PpReleasedRef);
    }

    private void WriteSoftnet(HostModel m)
    {
        Span<long> processed = stackalloc long[Cpus];
        Span<long> squeeze = stackalloc long[Cpus];
        var steps = m.Steps;
        var c = m.Counters;
        for (var q = 0; q < c.Length; q++)
        {
            var cpu = steps[q].Cpu % Cpus;
            processed[cpu] += c[q].SoftnetProcessed;
            squeeze[cpu] += c[q].SoftnetSqueeze;
        }
        for (var cpu = 0; cpu < Cpus; cpu++)
        {
            _softnet.WriteLine(string.Create(Fmt.Inv,
                $"{(uint)processed[cpu]:x8} {0:x8} {(uint)squeeze[cpu]:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {0:x8} {cpu:x8} {0:x8} {0:x8}"));
        }
    }

    private void WriteDmar(HostModel m)
    {
        _dmar.Write("IOMMU: dmar1 Register Base Address: c87fc000\n");
        _dmar.Write("                  <0.1us   0.1us-1us    1us-10us  10us-100us   100us-1ms    1ms-10ms      >=10ms     min(us)     max(us) average(us)");
        var b = m.InvLatencyBuckets;
        var n = m.InvLatencyCount;
        // Bucket counts are whole numbers in the kernel: round the cumulative shares so the row sums to the count.
        Span<long> counts = stackalloc long[7];
        var acc = 0.0;
        long prev = 0;
        for (var i = 0; i < 7; i++)
        {
            acc += b[i];
            var cum = (long)Math.Round(acc);
            counts[i] = cum - prev;
            prev = cum;
        }
        var min = n > 0 ? (long)(m.InvLatencyMinNs / 1000) : 0;
        var max = n > 0 ? (long)(m.InvLatencyMaxNs / 1000) : 0;
        var avg = n > 0 ? (long)(m.InvLatencySumNs / n / 1000) : 0;
        _dmar.Write("\n   inv_iotlb");
        foreach (var v in counts)
        {
            _dmar.Write(v.ToString(Fmt.Inv).PadLeft(12));
        }
        _dmar.Write(min.ToString(Fmt.Inv).PadLeft(12));
        _dmar.Write(max.ToString(Fmt.Inv).PadLeft(12));
        _dmar.Write(avg.ToString(Fmt.Inv).PadLeft(12));
        foreach (var name in new[] { "  inv_devtlb", "     inv_iec" })
        {
            _dmar.Write("\n" + name);
            for (var i = 0; i < 10; i++)
            {
                _dmar.Write("0".PadLeft(12));
            }
        }
        _dmar.Write("\n");
        _ = _setup.Mode == IommuMode.Passthrough;
    }

    /// <summary>
    /// kernel/irq/proc.c layout: a header of CPU columns, then per vector "IRQ:", a %10u count per CPU, chip, hwirq
    /// and type, and the action name. mlx5 completion vector N interrupts once per NAPI re-arm (ch N arm): the CQ raises its
    /// next interrupt only after NAPI completed and re-armed it.
    /// </summary>
    private void WriteInterrupts(HostModel m)
    {
        var sb = new StringBuilder(64 + Cpus * 11);
        sb.Append("    ");
        for (var cpu = 0; cpu < Cpus; cpu++)
        {
            sb.Append(' ').Append(("CPU" + cpu.ToString(Fmt.Inv)).PadRight(10));
        }
        _irq.WriteLine(sb.ToString().TrimEnd());
        var c = m.Counters;
        var bus = $"0000:{0x3b + 0x80 * _setup.Info.NumaNode:x2}:00.0";
        for (var q = 0; q < c.Length; q++)
        {
            sb.Clear();
            sb.Append((99 + q).ToString(Fmt.Inv).PadLeft(4)).Append(':');
            var cpuOfQ = _setup.CpuOf(q) % Cpus;
            for (var cpu = 0; cpu < Cpus; cpu++)
            {
                sb.Append(' ').Append((cpu == cpuOfQ ? c[q].Arms : 0).ToString(Fmt.Inv).PadLeft(10));
            }
            sb.Append("  IR-PCI-MSIX-").Append(bus).Append(' ').Append((q + 1).ToString(Fmt.Inv).PadLeft(4))
                .Append("-edge      mlx5_comp").Append(q.ToString(Fmt.Inv)).Append("@pci:").Append(bus);
            _irq.WriteLine(sb.ToString());
        }
    }

    public void Dispose()
    {
        _irq.Dispose();
        _ethtool.Dispose();
        _softnet.Dispose();
        _dmar.Dispose();
    }
}
