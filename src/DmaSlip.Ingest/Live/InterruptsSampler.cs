using System.Globalization;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using Ascii = DmaSlip.Ingest.Internal.Ascii;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// <c>/proc/interrupts</c> NIC queue vectors (source <c>interrupts</c>), summed over CPUs, stored under the interface
/// name: the IRQ number is joined to the interface through sysfs (<see cref="NicTopology"/>), so virtio-net's
/// <c>virtio2-input.0</c> lands on <c>eth0</c> like /proc/net/dev, and mlx5's <c>mlx5_comp3@pci:BDF</c> on its netdev.
/// A vector whose device is not a known interface keeps the name the kernel gave it. As ingest does with a snapshot,
/// each queue vector also gives the CPU it counted most on (source <c>irq_affinity</c>, name <c>queue&lt;N&gt;</c>):
/// per-CPU counts reach queues through it.
/// <para>
/// The kernel formats the whole table (every IRQ × every CPU) on each read of /proc/interrupts: on a many-core host
/// that is most of a sampler's cost. So the table is read only to find the NIC's queue vectors (at the first read and
/// every <see cref="RescanNs"/>, when vectors may have come or gone), and in between each vector's own
/// <c>/sys/kernel/irq/N/per_cpu_count</c> is read (same counts; kernels without it, and recorded trees without
/// it, read the table every time).
/// </para>
/// </summary>
internal sealed class InterruptsSampler(LiveSamplerOptions o, NicTopology topology) : IHostSampler, IDisposable
{
    /// <summary>How often the whole table is read again to find the queue vectors.</summary>
    public const long RescanNs = 10 * Time.NanosPerSecond;

    private readonly ProcFile _file = new(Path.Combine(o.ProcRoot, "interrupts"));
    private readonly Dictionary<(int Irq, int Queue), Vector> _names = [];
    private readonly List<Vector> _vectors = [];
    private long _scannedNs = long.MinValue;

    private sealed class Vector(int irq, string device, string name, string affinity)
    {
        public readonly int Irq = irq;
        public readonly string Device = device, Name = name, Affinity = affinity;
        public ProcFile? PerCpu;
        public bool Seen;
    }

    public string Name => "procfs:/proc/interrupts";

    /// <summary>Reads of the whole table so far (the rest were per-vector reads).</summary>
    internal int TableReads { get; private set; }

    public SourceStatus Probe()
    {
        var status = Files.Probe(Name, _file.Path);
        if (!status.Available)
        {
            return status;
        }
        var mapped = topology.Nics.Where(n => n.Irqs.Count > 0).Select(n => $"{n.Name} ← {n.PciAddress ?? n.DeviceName} IRQs {string.Join(',', n.Irqs)}").ToList();
        return status with { Detail = mapped.Count == 0 ? "readable; no NIC MSI vectors in sysfs (vectors keep their kernel names)" : "readable; " + string.Join("; ", mapped) };
    }

    public void Sample(long tsNs, string host, List<HostCounter> into)
    {
        if (_vectors.Count == 0 || _scannedNs == long.MinValue || tsNs - _scannedNs >= RescanNs || !SampleVectors(tsNs, host, into))
        {
            ReadTable(tsNs, host, into);
        }
    }

    // Each known vector's per-CPU counts from sysfs; false when a file is missing (the table is read instead).
    private bool SampleVectors(long tsNs, string host, List<HostCounter> into)
    {
        var from = into.Count;
        foreach (var v in _vectors)
        {
            if (v.PerCpu is null)
            {
                into.RemoveRange(from, into.Count - from);
                return false;
            }
            ReadOnlySpan<byte> text;
            try
            {
                text = v.PerCpu.Read();
            }
            catch (IOException)
            {
                into.RemoveRange(from, into.Count - from);
                return false;
            }
            long sum = 0, top = -1;
            int cpu = 0, topCpu = -1;
            var pos = 0;
            while (pos < text.Length)
            {
                var end = text[pos..].IndexOfAny((byte)',', (byte)'\n');
                var tok = end < 0 ? text[pos..] : text.Slice(pos, end);
                if (Ascii.TryLong(tok, out var n))
                {
                    sum += n;
                    if (n > top)
                    {
                        (top, topCpu) = (n, cpu);
                    }
                }
                cpu++;
                pos = end < 0 ? text.Length : pos + end + 1;
            }
            Add(v, tsNs, host, sum, top, topCpu, into);
        }
        return true;
    }

    private static void Add(Vector v, long tsNs, string host, long sum, long top, int topCpu, List<HostCounter> into)
    {
        into.Add(new HostCounter(tsNs, host, "interrupts", v.Device, v.Name, sum));
        if (top > 0)
        {
            into.Add(new HostCounter(tsNs, host, "irq_affinity", v.Device, v.Affinity, topCpu));
        }
    }

    private void ReadTable(long tsNs, string host, List<HostCounter> into)
    {
        TableReads++;
        _scannedNs = tsNs;
        foreach (var v in _vectors)
        {
            v.Seen = false;
        }
        var text = _file.Read();
        var cpus = -1;
        while (!text.IsEmpty)
        {
            var nl = text.IndexOf((byte)'\n');
            var line = Ascii.Trim(nl < 0 ? text : text[..nl]);
            text = nl < 0 ? default : text[(nl + 1)..];
            if (cpus < 0)
            {
                cpus = InterruptsParser.Columns(line);
                continue;
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !Ascii.TryInt(line[..colon], out var irq))
            {
                continue; // NMI:, LOC:, ... rows
            }
            var rest = line[(colon + 1)..];
            var pos = 0;
            InterruptsParser.SumCounts(rest, cpus, ref pos, out var sum, out var top, out var topCpu);
            if (InterruptsParser.TryNicVector(rest[pos..], out var device, out var queue))
            {
                if (!_names.TryGetValue((irq, queue), out var vector))
                {
                    var kernelName = Encoding.ASCII.GetString(device);
                    var q = "queue" + queue.ToString(CultureInfo.InvariantCulture);
                    vector = new Vector(irq, topology.InterfaceOf(irq, kernelName) ?? kernelName, q + ".interrupts", q);
                    _names[(irq, queue)] = vector;
                    var perCpu = Path.Combine(o.SysRoot, "kernel", "irq", irq.ToString(CultureInfo.InvariantCulture), "per_cpu_count");
                    vector.PerCpu = File.Exists(perCpu) ? new ProcFile(perCpu) : null;
                }
                if (!vector.Seen)
                {
                    vector.Seen = true;
                    if (!_vectors.Contains(vector))
                    {
                        _vectors.Add(vector);
                    }
                }
                Add(vector, tsNs, host, sum, top, topCpu, into);
            }
        }
        // vectors gone from the table (driver reloaded, queues reduced) are no longer read
        _vectors.RemoveAll(v => !v.Seen);
    }

    public void Dispose()
    {
        _file.Dispose();
        foreach (var v in _names.Values)
        {
            v.PerCpu?.Dispose();
        }
    }
}
