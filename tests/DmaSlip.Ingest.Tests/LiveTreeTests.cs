using DmaSlip.Core.Domain;
using DmaSlip.Core.Features.Counters;
using DmaSlip.Ingest.Live;
using DmaSlip.Testing;

namespace DmaSlip.Ingest.Tests;

/// <summary>The live samplers over recorded procfs/sysfs trees (Fixtures/live): this VM, and an Intel VT-d host with an mlx5 NIC.</summary>
public class LiveTreeTests
{
    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    }

    internal static string Fixture(string name)
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "DmaSlip.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return Path.Combine(dir ?? throw new DirectoryNotFoundException("repository root (DmaSlip.slnx) not found above the test binaries"),
            "tests", "DmaSlip.Ingest.Tests", "Fixtures", "live", name);
    }

    private static LiveSampler Sampler(string tree) => new("h", new FixedTime(), LiveSamplerOptions.RecordedTree(tree));

    private static SourceStatus Source(LiveSampler s, string prefix) => s.Sources.Single(x => x.Source.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public void On_the_virtio_vm_tree_the_nic_interrupts_are_stored_under_eth0_like_proc_net_dev()
    {
        using var sampler = Sampler(Fixture("vm-virtio"));
        var nic = Assert.Single(sampler.Topology.Nics);
        Assert.Equal(("eth0", "virtio2", "0000:00:03.0", "virtio_net"), (nic.Name, nic.DeviceName, nic.PciAddress, nic.Driver));
        Assert.Equal([37, 38, 39], nic.Irqs);
        var sample = sampler.Sample(1_000);
        var irq = Assert.Single(sample.Counters, c => c.Source == "interrupts");
        Assert.Equal(("eth0", "queue0.interrupts", 6419.0), (irq.Device, irq.Name, irq.Value));
        Assert.Contains(sample.Counters, c => c.Source == "proc_net_dev" && c.Device == "eth0" && c.Name == "rx_packets");
        Assert.Contains(sample.Counters, c => c.Source == "sysfs" && c.Device == "eth0" && c.Name == "queue0.irq_cpu" && c.Value == 1);
        Assert.DoesNotContain(sample.Counters, c => c.Source == "sysfs" && c.Name.EndsWith("irq_numa_local", StringComparison.Ordinal)); // NIC node unknown (-1)
    }

    [Fact]
    public void On_the_virtio_vm_tree_every_missing_source_says_why_and_what_it_needs()
    {
        using var sampler = Sampler(Fixture("vm-virtio"));
        Assert.True(Source(sampler, "procfs:/proc/net/dev").Available);
        Assert.True(Source(sampler, "procfs:/proc/net/softnet_stat").Available);
        Assert.Contains("eth0 ← 0000:00:03.0 IRQs 37,38,39", Source(sampler, "procfs:/proc/interrupts").Detail, StringComparison.Ordinal);
        Assert.Contains("no IOMMU units", Source(sampler, "sysfs").Detail, StringComparison.Ordinal);
        var perf = Source(sampler, "perf");
        Assert.False(perf.Available);
        Assert.Contains("tracefs not mounted", perf.Detail, StringComparison.Ordinal);
        Assert.Contains("no IOMMU PMU", perf.Detail, StringComparison.Ordinal);
        Assert.Contains("CAP_PERFMON", perf.Privilege, StringComparison.Ordinal);
        var dmar = Source(sampler, "debugfs");
        Assert.False(dmar.Available);
        Assert.Contains("no IOMMU", dmar.Detail, StringComparison.Ordinal);
        Assert.Contains("CAP_DAC_READ_SEARCH", dmar.Privilege, StringComparison.Ordinal);
        Assert.False(Source(sampler, "tracefs").Available);
        Assert.False(Source(sampler, "ethtool").Available);
        Assert.All(sampler.Sources.Where(s => !s.Available), s => Assert.False(string.IsNullOrWhiteSpace(s.Detail)));
    }

    [Fact]
    public void The_virtio_vm_identity_has_its_kernel_driver_model_and_cpu_node_and_no_iommu_means_passthrough()
    {
        using var sampler = Sampler(Fixture("vm-virtio"));
        var config = sampler.ReadConfig();
        var row = Assert.Single(config.HostRows("vm", 5, "pool-vm"));
        Assert.Equal(("vm", "pool-vm", "eth0", "6.18.44-fc-v1300"), (row.Host, row.Pool, row.Device, row.Kernel));
        Assert.Equal(("virtio_net", "6.18.44-fc-v1300", "pci 1af4:1041"), (row.Driver, row.DriverVersion, row.NicModel));
        Assert.Equal((IommuMode.Passthrough, -1, 0), (row.IommuMode, row.NumaNode, row.CpuNumaNode));
        Assert.Equal(HostFingerprint.Compute("6.18.44-fc-v1300", "virtio_net", "6.18.44-fc-v1300", IommuMode.Passthrough), row.Fingerprint);
    }

    [Fact]
    public void On_the_intel_mlx5_tree_queues_join_the_netdev_and_placement_is_checked_against_the_nic_node()
    {
        using var sampler = Sampler(Fixture("intel-mlx5"));
        var sample = sampler.Sample(1_000);
        var irqs = sample.Counters.Where(c => c.Source == "interrupts").OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(["queue0.interrupts", "queue1.interrupts", "queue2.interrupts", "queue3.interrupts"], irqs.Select(c => c.Name));
        Assert.All(irqs, c => Assert.Equal("ens1f0np0", c.Device));
        Assert.Equal(101234, irqs[0].Value);
        double Sysfs(string name) => sample.Counters.Single(c => c.Source == "sysfs" && c.Name == name).Value;
        Assert.Equal((1, 2, 1), (Sysfs("numa_node"), Sysfs("queue0.irq_cpu"), Sysfs("queue0.irq_numa_local")));
        Assert.Equal((0, 0), (Sysfs("queue2.irq_cpu"), Sysfs("queue2.irq_numa_local"))); // comp2 delivered to a node-0 CPU
        Assert.Contains(sample.Counters, c => c.Source == "ethtool" && c.Name == "rx0_pp_alloc_slow" && c.Value == 1200);
        Assert.Contains(sample.Counters, c => c.Source == "dmar_perf_latency" && c.Device == "dmar1");
        Assert.True(Source(sampler, "ethtool").Available);
        Assert.True(Source(sampler, "debugfs").Available);
        var perf = Source(sampler, "perf");
        Assert.False(perf.Available); // recorded: never opened against this machine's kernel
        Assert.Contains("dmar1/iotlb_lookup", perf.Detail, StringComparison.Ordinal);
        Assert.Contains("tracepoint/intel_iommu:qi_submit", perf.Detail, StringComparison.Ordinal);
        Assert.Contains("IOMMU units dmar0,dmar1", Source(sampler, "sysfs").Detail, StringComparison.Ordinal);
        Assert.Contains("IOMMU group 42 DMA-FQ", Source(sampler, "sysfs").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_intel_mlx5_identity_reads_driver_firmware_numa_nodes_and_the_groups_lazy_mode()
    {
        using var sampler = Sampler(Fixture("intel-mlx5"));
        var row = Assert.Single(sampler.ReadConfig().HostRows("trade-7", 5, "pool-a"));
        Assert.Equal(("mlx5_core", "5.15.0-105-generic", "5.15.0-105-generic"), (row.Driver, row.DriverVersion, row.Kernel));
        Assert.Equal("pci 15b3:1017, firmware 16.35.2000 (MT_0000000080)", row.NicModel);
        Assert.Equal((IommuMode.Lazy, 1, 1), (row.IommuMode, row.NumaNode, row.CpuNumaNode));
    }

    [Fact]
    public void On_the_virtio_vm_tree_frames_come_from_the_counter_path_with_null_rates_and_the_interrupts_source_not_zeros()
    {
        using var dir = new TempDir();
        var tree = Path.Combine(dir.Path, "vm");
        CopyTree(Fixture("vm-virtio"), tree);
        using var sampler = Sampler(tree);
        var first = sampler.Sample(1_000);
        // the records ingest stores for the same /proc/interrupts: the vector count and the CPU it counted most on
        Assert.Contains(first.Counters, c => (c.Source, c.Device, c.Name, c.Value) == ("irq_affinity", "eth0", "queue0", 1));
        var collector = new LiveCollector(sampler, 100 * Time.NanosPerMilli, new FixedTime());
        const long t0 = 1_700_000_000_000_000_000;
        const long w = 100 * Time.NanosPerMilli;
        Assert.Empty(collector.Close(long.MinValue, t0)); // the first read is the baseline
        var interrupts = Path.Combine(tree, "proc", "interrupts");
        File.WriteAllText(interrupts, File.ReadAllText(interrupts).Replace("       6419 PCI-MSIX", "       6426 PCI-MSIX", StringComparison.Ordinal));
        var window = Assert.Single(collector.Close(t0, t0 + w));
        var frame = Assert.Single(window.Frames);
        Assert.Equal(("eth0", 0, t0, 7L), (frame.Device, frame.Queue, frame.WindowStartNs, frame.Events));
        // no tracepoint counts, no IOMMU: nothing measured invalidations or maps here, so no rate — not a 0
        Assert.Equal(((double?)null, (double?)null, (double?)null), (frame.FlushRate, frame.MapRate, frame.UnmapRate));
        Assert.Equal(FrameSources.Interrupts, Assert.Single(window.Sources));
        Assert.Contains(window.Counters, c => c.Source == "interrupts" && c.Value == 6426);
        // a quiet window that was looked at still has its frame (events 0, rates still null)
        frame = Assert.Single(Assert.Single(collector.Close(t0 + w, t0 + (2 * w))).Frames);
        Assert.Equal((t0 + w, 0L, (double?)null), (frame.WindowStartNs, frame.Events, frame.FlushRate));
        // a read that comes an interval late: its deltas are shared among the two windows it spans, as for stored counters
        File.WriteAllText(interrupts, File.ReadAllText(interrupts).Replace("       6426 PCI-MSIX", "       6436 PCI-MSIX", StringComparison.Ordinal));
        var late = collector.Close(t0 + (2 * w), t0 + (4 * w));
        Assert.Equal([(t0 + (2 * w), 5L), (t0 + (3 * w), 5L)], late.Select(x => (x.WindowStartNs, x.Frames[0].Events)));
        Assert.Equal(1, collector.LateReads);
    }

    [Fact]
    public void Between_table_reads_each_queue_vector_is_read_from_its_own_per_cpu_count_file()
    {
        using var dir = new TempDir();
        var tree = Path.Combine(dir.Path, "vm");
        CopyTree(Fixture("vm-virtio"), tree);
        var irq = Path.Combine(tree, "sys", "kernel", "irq", "38");
        Directory.CreateDirectory(irq);
        File.WriteAllText(Path.Combine(irq, "per_cpu_count"), "0,6419\n");
        using var sampler = Sampler(tree);
        const long t0 = 1_700_000_000_000_000_000;
        static double Count(LiveSample s) => s.Counters.Single(c => c.Source == "interrupts").Value;
        Assert.Equal(6419, Count(sampler.Sample(t0)));                       // the whole table finds eth0's queue 0 = IRQ 38
        File.WriteAllText(Path.Combine(irq, "per_cpu_count"), "3,6500\n");
        var next = sampler.Sample(t0 + (100 * Time.NanosPerMilli));
        Assert.Equal(6503, Count(next));                                     // IRQ 38's own counts, not the table
        Assert.Contains(next.Counters, c => (c.Source, c.Name, c.Value) == ("irq_affinity", "queue0", 1));
        Assert.Equal(6419, Count(sampler.Sample(t0 + (11 * Time.NanosPerSecond)))); // every 10 s the table again
    }

    [Fact]
    public void The_agents_collector_stops_reading_the_samplers_whose_records_feed_no_frame()
    {
        using var sampler = Sampler(Fixture("vm-virtio"));
        var collector = new LiveCollector(sampler, 100 * Time.NanosPerMilli, new FixedTime()) { FrameInputsOnly = true };
        const long t0 = 1_700_000_000_000_000_000;
        collector.Close(long.MinValue, t0);
        Assert.Contains(collector.LastCounters, c => c.Source == "softnet_stat");
        collector.Close(t0, t0 + (100 * Time.NanosPerMilli));
        Assert.Equal(["procfs:/proc/net/dev", "procfs:/proc/net/softnet_stat"], collector.SamplersNotRead.Order(StringComparer.Ordinal));
        var third = collector.Close(t0 + (100 * Time.NanosPerMilli), t0 + (200 * Time.NanosPerMilli));
        Assert.All(collector.LastCounters, c => Assert.True(c.Source is "interrupts" or "irq_affinity", c.Source));
        Assert.Single(Assert.Single(third).Frames);
        // sysfs placement gives records every 10 s: judged (and dropped) at its next round
        collector.Close(t0 + (200 * Time.NanosPerMilli), t0 + (10_100 * Time.NanosPerMilli));
        Assert.Contains("sysfs:net/iommu/irq", collector.SamplersNotRead);
    }

    [Fact]
    public void The_samplers_run_live_on_this_machine_and_name_every_source()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var sampler = new LiveSampler("live", TimeProvider.System);
        Assert.Equal(8, sampler.Sources.Count);
        Assert.True(Source(sampler, "procfs:/proc/net/dev").Available);
        Assert.All(sampler.Sources, s => Assert.False(string.IsNullOrWhiteSpace(s.Detail)));
        sampler.Sample();
        var second = sampler.Sample();
        Assert.NotEmpty(second.Counters);
        var interfaces = second.Counters.Where(c => c.Source == "proc_net_dev").Select(c => c.Device).ToHashSet(StringComparer.Ordinal);
        foreach (var nic in sampler.Topology.Nics.Where(n => n.Irqs.Count > 0))
        {
            // whatever the vectors are called, their counters land under the interface name /proc/net/dev uses
            Assert.All(second.Counters.Where(c => c.Source == "interrupts" && nic.Irqs.Count > 0 && c.Device == nic.Name), c => Assert.Contains(c.Device, interfaces));
            Assert.DoesNotContain(second.Counters, c => c.Source == "interrupts" && c.Device == nic.DeviceName && nic.DeviceName != nic.Name);
        }
        var identity = sampler.ReadConfig();
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), identity.Kernel);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                CopyTree(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
