using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// <c>/proc/interrupts</c> snapshots (kernel/irq/proc.c). The "CPU0 CPU1 ..." header gives the column count; each
/// row is "N: count per CPU, chip, hwirq, type, names". NIC queue vectors become counters (source
/// <c>interrupts</c>, name <c>queue&lt;N&gt;.interrupts</c> = sum over CPUs): mlx5 <c>mlx5_comp&lt;N&gt;@pci:&lt;BDF&gt;</c>
/// (device = BDF), Intel <c>&lt;driver&gt;-&lt;if&gt;-TxRx-&lt;N&gt;</c> (device = if) and virtio-net <c>virtio&lt;K&gt;-input.&lt;N&gt;</c>
/// (device = virtioK). Other rows are skipped. The CPU a vector is affine to (its largest per-CPU count) is also kept,
/// as source <c>irq_affinity</c>, name <c>queue&lt;N&gt;</c>, value = CPU index: per-CPU tracepoint counts become
/// per-queue counts through it.
/// </summary>
internal sealed class InterruptsParser : SnapshotParser
{
    private int _cpus = -1;

    protected override void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx)
    {
        if (trimmed.StartsWith("CPU"u8))
        {
            _cpus = 0;
            var p = 0;
            while (!Ascii.NextToken(trimmed, ref p).IsEmpty)
            {
                _cpus++;
            }
            return;
        }
        var colon = trimmed.IndexOf((byte)':');
        if (colon <= 0 || _cpus < 0)
        {
            ctx.Quarantine(offset, _cpus < 0 ? "/proc/interrupts: row before the CPU header" : "/proc/interrupts: expected 'IRQ: counts...'", raw);
            return;
        }
        var rest = trimmed[(colon + 1)..];
        var pos = 0;
        long sum = 0, top = -1;
        var n = 0;
        var topCpu = -1;
        var save = 0;
        while (n < _cpus)
        {
            save = pos;
            var tok = Ascii.NextToken(rest, ref pos);
            if (!Ascii.TryLong(tok, out var v))
            {
                pos = save;
                break;
            }
            sum += v;
            if (v > top)
            {
                top = v;
                topCpu = n;
            }
            n++;
        }
        if (n == 0)
        {
            ctx.Quarantine(offset, "/proc/interrupts: no per-CPU counts", raw);
            return;
        }
        var names = rest[pos..];
        if (!TryNicVector(names, out var device, out var queue))
        {
            ctx.Skip();
            return;
        }
        var name = "queue" + queue.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".interrupts";
        var dev = ctx.Strings.Get(device);
        ctx.Add(new HostCounter(tsNs, ctx.RequireHost(), "interrupts", dev, name, sum));
        if (top > 0)
        {
            ctx.Add(new HostCounter(tsNs, ctx.RequireHost(), "irq_affinity", dev, name[..name.IndexOf('.', StringComparison.Ordinal)], topCpu));
        }
        ctx.Record();
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
}
