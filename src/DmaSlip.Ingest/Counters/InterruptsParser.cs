using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>/proc/interrupts</c> snapshots (kernel/irq/proc.c). The "CPU0 CPU1 ..." header gives the column count; an
/// excerpt without it (<c>grep mlx5 /proc/interrupts</c>) is read by taking the leading integers of each row as its
/// per-CPU counts. Each row is "N: count per CPU, chip, hwirq, type, names". NIC vectors become counters (source
/// <c>interrupts</c>, value = sum over CPUs): per-queue vectors as <c>queue&lt;N&gt;.interrupts</c> — mlx5
/// <c>mlx5_comp&lt;N&gt;@pci:&lt;BDF&gt;</c> (device = BDF), Intel/Broadcom <c>[&lt;driver&gt;-]&lt;if&gt;-TxRx-&lt;N&gt;</c> and
/// <c>&lt;if&gt;-rx-&lt;N&gt;</c> (device = if), virtio-net <c>virtio&lt;K&gt;-input.&lt;N&gt;</c> (device = virtioK); a vector
/// all queues share as <c>shared.interrupts</c> — virtio <c>virtio&lt;K&gt;-virtqueues</c> (two-vector MSI-X), or a
/// single MSI/INTx line named after the interface or virtio device (<c>eth0</c>, <c>virtio0</c>); on an INTx line
/// shared with other handlers (<c>virtio0, uhci_hcd:usb1</c>) the count includes theirs, which a warning says. NIC
/// vectors that are not mapped (transmit-only, config, async/control) and anything else NIC-like are skipped with one
/// warning per name; rows of other devices are skipped. The CPU a queue vector is affine to (its largest per-CPU count) is also kept, as
/// source <c>irq_affinity</c>, name <c>queue&lt;N&gt;</c>, value = CPU index: per-CPU tracepoint counts become per-queue
/// counts through it.
/// </summary>
internal sealed class InterruptsParser : SnapshotParser
{
    private int _cpus = -1;
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);

    protected override void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx)
    {
        if (trimmed.StartsWith("CPU"u8))
        {
            _cpus = Columns(trimmed);
            return;
        }
        var colon = trimmed.IndexOf((byte)':');
        if (colon <= 0)
        {
            ctx.Quarantine(offset, "/proc/interrupts: expected 'IRQ: counts...'", raw);
            return;
        }
        var irq = trimmed[..colon];
        var rest = trimmed[(colon + 1)..];
        var pos = 0;
        var n = SumCounts(rest, _cpus, ref pos, out var sum, out var top, out var topCpu);
        if (n == 0)
        {
            ctx.Quarantine(offset, "/proc/interrupts: no per-CPU counts", raw);
            return;
        }
        var names = rest[pos..];
        var map = Map(names, out var device, out var queue, out var others);
        if (map == VectorMap.None)
        {
            if (map == VectorMap.None && LooksLikeNic(names, out var nicName) && _warned.Add(nicName))
            {
                ctx.Warn(offset, $"/proc/interrupts: IRQ {Ascii.Text(irq)} '{nicName}' looks like a NIC vector but is not mapped to a receive queue (transmit, config or control vector?); skipped");
            }
            ctx.Skip();
            return;
        }
        var name = map == VectorMap.Queue ? "queue" + queue.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".interrupts" : "shared.interrupts";
        var dev = ctx.Strings.Get(device);
        if (others && _warned.Add("shared:" + dev))
        {
            ctx.Warn(offset, $"/proc/interrupts: IRQ {Ascii.Text(irq)} of {dev} is a line shared with other handlers ('{Ascii.Text(Ascii.Trim(names))}'); its count includes theirs");
        }
        ctx.Add(new HostCounter(tsNs, ctx.RequireHost(), "interrupts", dev, name, sum));
        if (map == VectorMap.Queue && top > 0)
        {
            ctx.Add(new HostCounter(tsNs, ctx.RequireHost(), "irq_affinity", dev, name[..name.IndexOf('.', StringComparison.Ordinal)], topCpu));
        }
        ctx.Record();
    }

    /// <summary>True for an excerpt row without the CPU header: "N: count... chip ... names" (detection).</summary>
    public static bool LooksLikeRow(ReadOnlySpan<byte> t)
    {
        var colon = t.IndexOf((byte)':');
        if (colon <= 0 || !Ascii.TryLong(t[..colon], out _))
        {
            return false;
        }
        var rest = t[(colon + 1)..];
        var pos = 0;
        var n = 0;
        while (Ascii.TryLong(Ascii.NextToken(rest, ref pos), out _))
        {
            n++;
        }
        return n > 0 && Map(rest[FirstNonCount(rest)..], out _, out _, out _) != VectorMap.None;
    }

    private static int FirstNonCount(ReadOnlySpan<byte> rest)
    {
        var pos = 0;
        while (true)
        {
            var save = pos;
            if (!Ascii.TryLong(Ascii.NextToken(rest, ref pos), out _))
            {
                return save;
            }
        }
    }

    internal enum VectorMap
    {
        None,
        Queue,
        Shared,
    }

    /// <summary>Maps the row's trailing names (chip, hwirq-type, handler names) to a NIC device and queue.</summary>
    internal static VectorMap Map(ReadOnlySpan<byte> names, out ReadOnlySpan<byte> device, out int queue, out bool others)
    {
        others = false;
        if (TryNicVector(names, out device, out queue))
        {
            return VectorMap.Queue;
        }
        // the handler names follow the chip and hwirq-type tokens; a shared INTx line lists several, comma-separated
        var handlers = Handlers(names);
        ReadOnlySpan<byte> found = default;
        var count = 0;
        var pos = 0;
        while (true)
        {
            var tok = Ascii.NextToken(handlers, ref pos);
            if (tok.IsEmpty)
            {
                break;
            }
            if (tok[^1] == ',')
            {
                tok = tok[..^1];
            }
            count++;
            if (found.IsEmpty && (IsVirtioDevice(tok, out var dev) || IsInterfaceName(tok)))
            {
                found = tok.EndsWith("-virtqueues"u8) ? dev : tok;
            }
        }
        device = found;
        queue = -1;
        others = !found.IsEmpty && count > 1;
        return found.IsEmpty ? VectorMap.None : VectorMap.Shared;
    }

    /// <summary>The names after the chip and "hwirq-type" tokens (the "-edge"/"-fasteoi"/"-level" token ends them).</summary>
    private static ReadOnlySpan<byte> Handlers(ReadOnlySpan<byte> names)
    {
        var pos = 0;
        var last = -1;
        while (true)
        {
            var tok = Ascii.NextToken(names, ref pos);
            if (tok.IsEmpty)
            {
                break;
            }
            if (tok.EndsWith("-edge"u8) || tok.EndsWith("-fasteoi"u8) || tok.EndsWith("-level"u8) || tok.SequenceEqual("Edge"u8) || tok.SequenceEqual("Level"u8))
            {
                last = pos;
            }
        }
        return last < 0 ? names : names[last..];
    }

    /// <summary>"virtio0" (INTx) or "virtio0-virtqueues" (shared MSI-X vector) → virtio0.</summary>
    private static bool IsVirtioDevice(ReadOnlySpan<byte> tok, out ReadOnlySpan<byte> device)
    {
        device = tok.EndsWith("-virtqueues"u8) ? tok[..^"-virtqueues".Length] : tok;
        return device.StartsWith("virtio"u8) && device.Length > 6 && Ascii.TryInt(device[6..], out _);
    }

    /// <summary>A network interface name as a single MSI/INTx handler: eth0, ens3, enp0s3, eno1, ib0.</summary>
    private static bool IsInterfaceName(ReadOnlySpan<byte> tok) =>
        tok.Length >= 3 && tok.IndexOfAny("-:@"u8) < 0 && Ascii.IsDigit(tok[^1])
        && (tok.StartsWith("eth"u8) || tok.StartsWith("ens"u8) || tok.StartsWith("enp"u8) || tok.StartsWith("eno"u8) || tok.StartsWith("ib"u8));

    /// <summary>A name that looks like a NIC's vector (for the "not mapped" warning).</summary>
    private static bool LooksLikeNic(ReadOnlySpan<byte> names, out string name)
    {
        var h = Handlers(names);
        var pos = 0;
        while (true)
        {
            var tok = Ascii.NextToken(h, ref pos);
            if (tok.IsEmpty)
            {
                name = "";
                return false;
            }
            if (tok.StartsWith("virtio"u8) || tok.StartsWith("mlx"u8) || tok.StartsWith("eth"u8) || tok.StartsWith("en"u8)
                || tok.StartsWith("ice-"u8) || tok.StartsWith("i40e"u8) || tok.StartsWith("ixgbe"u8) || tok.StartsWith("bnxt"u8)
                || tok.IndexOf("-TxRx-"u8) >= 0 || tok.IndexOf("-rx-"u8) >= 0 || tok.IndexOf("-tx-"u8) >= 0)
            {
                name = Ascii.Text(tok[^1] == ',' ? tok[..^1] : tok);
                return true;
            }
        }
    }

    /// <summary>Finds a NIC queue vector name among the row's trailing names.</summary>
    public static bool TryNicVector(ReadOnlySpan<byte> names, out ReadOnlySpan<byte> device, out int queue)
    {
        device = default;
        queue = -1;
        var pos = 0;
        while (true)
        {
            var tok = Ascii.NextToken(names, ref pos);
            if (tok.IsEmpty)
            {
                return false;
            }
            if (tok[^1] == ',')
            {
                tok = tok[..^1];
            }
            if (tok.StartsWith("mlx5_comp"u8))
            {
                var at = tok.IndexOf("@pci:"u8);
                if (at > 9 && Ascii.TryInt(tok[9..at], out queue))
                {
                    device = tok[(at + 5)..];
                    return device.Length > 0;
                }
            }
            // virtio-net (VMs): "virtio2-input.0" → device virtio2, queue 0 (receive vectors only)
            var vin = tok.IndexOf("-input."u8);
            if (tok.StartsWith("virtio"u8) && vin > 6 && Ascii.TryInt(tok[(vin + 7)..], out queue))
            {
                device = tok[..vin];
                return true;
            }
            // e1000e/igb with separate vectors: "eth0-rx-0" → eth0, queue 0 (receive vectors only)
            var rx = tok.IndexOf("-rx-"u8);
            if (rx > 0 && Ascii.TryInt(tok[(rx + 4)..], out queue))
            {
                device = tok[..rx];
                return true;
            }
            var txrx = tok.IndexOf("-TxRx-"u8);
            if (txrx > 0 && Ascii.TryInt(tok[(txrx + 6)..], out queue))
            {
                var head = tok[..txrx];
                var dash = head.IndexOf((byte)'-');
                device = dash >= 0 ? head[(dash + 1)..] : head;
                return device.Length > 0;
            }
        }
    }

    /// <summary>The columns of the "CPU0 CPU1 ..." header row.</summary>
    internal static int Columns(ReadOnlySpan<byte> header)
    {
        var n = 0;
        var p = 0;
        while (!Ascii.NextToken(header, ref p).IsEmpty)
        {
            n++;
        }
        return n;
    }

    /// <summary>
    /// Reads a row's leading per-CPU counts from <paramref name="pos"/> (at most <paramref name="cpus"/>; any number when
    /// it is negative, an excerpt without the header): their sum, the largest and its CPU index; returns how many.
    /// <paramref name="pos"/> is left after the last count.
    /// </summary>
    internal static int SumCounts(ReadOnlySpan<byte> rest, int cpus, ref int pos, out long sum, out long top, out int topCpu)
    {
        (sum, top, topCpu) = (0, -1, -1);
        var n = 0;
        while (cpus < 0 || n < cpus)
        {
            var save = pos;
            var tok = Ascii.NextToken(rest, ref pos);
            if (!Ascii.TryLong(tok, out var v))
            {
                pos = save;
                break;
            }
            sum += v;
            if (v > top)
            {
                (top, topCpu) = (v, n);
            }
            n++;
        }
        return n;
    }
}
