using DmaSlip.Core.Domain;
using static DmaSlip.Ingest.Tests.IngestHarness;

namespace DmaSlip.Ingest.Tests;

/// <summary>/proc/interrupts as VMs, INTx lines and grep excerpts print it: every NIC vector mapped, the rest said.</summary>
public class InterruptsVariantTests
{
    // a 2-vCPU KVM guest: virtio-net with per-queue MSI-X, a second virtio-net with the two-vector layout, an INTx line
    private const string Vm = """
                   CPU0       CPU1
          0:         41          0   IO-APIC   2-edge      timer
         11:       5000         25   IO-APIC  11-fasteoi   virtio2, uhci_hcd:usb1
         24:          0          0   PCI-MSI 49152-edge      virtio0-config
         25:     812345       1200   PCI-MSI 49153-edge      virtio0-input.0
         26:         17          3   PCI-MSI 49154-edge      virtio0-output.0
         27:       1200     790001   PCI-MSI 49155-edge      virtio0-input.1
         29:          0          0   PCI-MSI 65536-edge      virtio1-config
         30:      40000        100   PCI-MSI 65537-edge      virtio1-virtqueues
        NMI:          0          0   Non-maskable interrupts
        """;

    [Fact]
    public void A_virtio_guest_maps_per_queue_shared_and_INTx_vectors_and_warns_about_what_it_did_not_map()
    {
        var (r, sink) = RunText("interrupts", Vm, format: Formats.Interrupts, ts: 7);
        Assert.Null(r.Error);
        Assert.Equal((4L, 5L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>().ToDictionary(x => (x.Device, x.Name), x => x.Value);
        Assert.Equal(813545, c[("virtio0", "queue0.interrupts")]);
        Assert.Equal(791201, c[("virtio0", "queue1.interrupts")]);
        Assert.Equal(40100, c[("virtio1", "shared.interrupts")]);
        Assert.Equal(5025, c[("virtio2", "shared.interrupts")]);
        Assert.Contains(r.Warnings, w => w.Contains("'virtio0-output.0'", StringComparison.Ordinal) && w.Contains("not mapped", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Contains("'virtio0-config'", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Contains("virtio2 is a line shared with other handlers", StringComparison.Ordinal));
    }

    [Fact]
    public void A_grep_excerpt_without_the_CPU_header_is_detected_and_read_with_its_leading_counts()
    {
        const string text = """
             98:          0      23274          0          0  IR-PCI-MSIX-0000:3b:00.0    0-edge      mlx5_async0@pci:0000:3b:00.0
             99:        324       4360          1          2  IR-PCI-MSIX-0000:3b:00.0    1-edge      mlx5_comp0@pci:0000:3b:00.0
            100:         10         20         30         40  IR-PCI-MSIX-0000:3b:00.0    2-edge      mlx5_comp1@pci:0000:3b:00.0
            """;
        var (r, sink) = RunText("mlx-irqs.txt", text, ts: 7);
        Assert.Equal(Formats.Interrupts, r.Format);
        Assert.Equal((2L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>();
        Assert.Equal(4687, c.Single(x => x.Name == "queue0.interrupts").Value);
        Assert.Equal(100, c.Single(x => x.Name == "queue1.interrupts").Value);
        Assert.All(c, x => Assert.Equal("0000:3b:00.0", x.Device));
    }

    [Fact]
    public void Single_MSI_and_separate_rx_tx_vectors_of_an_e1000e_map_to_the_interface()
    {
        const string text = """
                       CPU0
             44:       9001   PCI-MSI 524288-edge      eth0
             45:        300   PCI-MSI 524289-edge      eth1-rx-0
             46:        200   PCI-MSI 524290-edge      eth1-tx-0
             47:          5   PCI-MSI 524291-edge      eth1
            """;
        var (r, sink) = RunText("interrupts", text, format: Formats.Interrupts, ts: 7);
        Assert.Equal((3L, 1L, 0L), (r.Records, r.Skipped, r.Quarantined));
        var c = sink.Rows<HostCounter>().ToDictionary(x => (x.Device, x.Name), x => x.Value);
        Assert.Equal(9001, c[("eth0", "shared.interrupts")]);
        Assert.Equal(300, c[("eth1", "queue0.interrupts")]);
        Assert.Equal(5, c[("eth1", "shared.interrupts")]);
        Assert.Contains(r.Warnings, w => w.Contains("'eth1-tx-0'", StringComparison.Ordinal));
    }
}
