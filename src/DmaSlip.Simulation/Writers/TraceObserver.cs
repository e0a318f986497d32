using System.Globalization;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Internal;

namespace DmaSlip.Simulation.Writers;

/// <summary>
/// Full per-event traces for chosen windows, as <c>perf script --ns</c> prints a recording taken with
/// <c>perf record -k CLOCK_REALTIME -a -e iommu:map,iommu:unmap,intel_iommu:qi_submit,napi:napi_poll,net:netif_receive_skb,net:net_dev_xmit</c>
/// (so timestamps are Unix seconds). Each 1 ms aggregate of the model is expanded into its individual events at
/// uniformly drawn times within the millisecond (own random stream: traces never perturb the simulation).
/// Line: <c>comm tid [cpu] secs.nanos: sys:event: fields</c>; pointers print as <c>0x…</c>.
/// </summary>
internal sealed class TraceObserver : IHostObserver
{
    private readonly string _dir;
    private readonly HostSetup _setup;
    private readonly (int StartMs, int EndMs, string Name)[] _windows;
    private readonly List<(long Ts, string Line)> _lines = new(4096);
    private readonly long[] _iova;
    private readonly string _dev;
    private readonly int _packetBytes;
    private Rng _rng;
    private StreamWriter? _w;
    private int _current = -1;
    private ulong _skb = 0xffff888100000000UL;

    public TraceObserver(string dir, HostSetup setup, long seed, int windowMs, int sessionMs, int packetBytes)
    {
        _dir = dir;
        _setup = setup;
        _dev = setup.Info.Device;
        _packetBytes = packetBytes;
        _rng = Rng.Create(seed, RngStream.Trace, setup.Index);
        var list = new List<(int, int, string)>();
        var k = 0;
        foreach (var s in setup.Storms)
        {
            var a = Math.Max(0, s.StartMs - windowMs / 2);
            list.Add((a, Math.Min(sessionMs, a + windowMs), $"storm-{++k:D2}"));
        }
        var calm = Math.Min(sessionMs - windowMs, 60_000);
        if (calm >= 0 && !setup.Storms.Any(s => calm < s.EndMs && calm + windowMs > s.StartMs))
        {
            list.Add((calm, calm + windowMs, "calm-01"));
        }
        _windows = [.. list.OrderBy(w => w.Item1)];
        _iova = new long[setup.Queues];
        for (var q = 0; q < _iova.Length; q++)
        {
            _iova[q] = 0xfff0_0000L - q * 0x1000_0000L;
        }
    }

    public void OnStep(HostModel model, int ms, long tsNs)
    {
        var w = Array.FindIndex(_windows, x => ms >= x.StartMs && ms < x.EndMs);
        if (w < 0)
        {
            if (_w is not null)
            {
                _w.Dispose();
                _w = null;
            }
            return;
        }
        if (w != _current || _w is null)
        {
            _w?.Dispose();
            Directory.CreateDirectory(_dir);
            _w = new StreamWriter(Path.Combine(_dir, _windows[w].Name + ".perf-script.txt"), false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            _current = w;
        }
        Expand(model, tsNs);
    }

    private void Expand(HostModel m, long tsNs)
    {
        _lines.Clear();
        var steps = m.Steps;
        for (var q = 0; q < steps.Length; q++)
        {
            ref readonly var s = ref steps[q];
            var busy = s.RingUsed > 0;
            var comm = busy ? $"ksoftirqd/{s.Cpu}" : "swapper";
            var tid = busy ? 10 + 6 * s.Cpu : 0;
            var napi = 0xffff888104a00000UL + (ulong)q * 0x2000;
            var polls = s.NapiPolls;
            for (var p = 0; p < polls; p++)
            {
                var work = p < s.NapiFullPolls ? 64 : s.LastPollWork;
                Add(tsNs, comm, tid, s.Cpu, $"napi:napi_poll: napi poll on napi struct 0x{napi:x} for device {_dev} work {work} budget 64");
            }
            for (var i = 0; i < s.RxProcessed; i++)
            {
                Add(tsNs, comm, tid, s.Cpu, $"net:netif_receive_skb: dev={_dev} skbaddr=0x{NextSkb():x} len={_packetBytes}");
            }
            for (var i = 0; i < s.Tx; i++)
            {
                Add(tsNs, "trader", 4242, s.Cpu, $"net:net_dev_xmit: dev={_dev} skbaddr=0x{NextSkb():x} len=128 rc=0");
            }
            for (var i = 0; i < s.Maps; i++)
            {
                var iova = _iova[q];
                _iova[q] -= 0x1000;
                if (_iova[q] < 0x1000_0000L)
                {
                    _iova[q] = 0xfff0_0000L - q * 0x1000_0000L;
                }
                var paddr = 0x100000000L + (long)(_rng.NextU64() >> 36) * 0x1000;
                Add(tsNs, comm, tid, s.Cpu, string.Create(CultureInfo.InvariantCulture, $"iommu:map: IOMMU: iova=0x{iova:x16} - 0x{iova + 0x1000:x16} paddr=0x{paddr:x16} size=4096"));
            }
            for (var i = 0; i < s.Unmaps; i++)
            {
                var iova = _iova[q] + 0x1000 * (s.Unmaps - i + 64);
                Add(tsNs, comm, tid, s.Cpu, string.Create(CultureInfo.InvariantCulture, $"iommu:unmap: IOMMU: iova=0x{iova:x16} - 0x{iova + 0x1000:x16} size=4096 unmapped_size=4096"));
                if (i < s.Invalidations)
                {
                    // Page-selective (granularity 3), domain id 1, address mask 0 (one 4 KiB page).
                    Add(tsNs, comm, tid, s.Cpu, $"intel_iommu:qi_submit: iotlb_inv dmar1: 0x100f2 0x{iova:x} 0x0 0x0");
                }
            }
            for (var i = 0; i < s.Flushes; i++)
            {
                // Domain-selective (granularity 2): what a flush-queue flush (flush_iotlb_all) submits.
                Add(tsNs, comm, tid, s.Cpu, "intel_iommu:qi_submit: iotlb_inv dmar1: 0x100e2 0x0 0x0 0x0");
            }
        }
        _lines.Sort(static (a, b) => a.Ts.CompareTo(b.Ts));
        foreach (var (_, line) in _lines)
        {
            _w!.WriteLine(line);
        }
    }

    private ulong NextSkb()
    {
        _skb += 0x100 * (1 + (_rng.NextU64() & 7));
        return _skb;
    }

    private void Add(long msStartNs, string comm, int tid, int cpu, string body)
    {
        var ts = msStartNs + (long)(_rng.NextDouble() * Time.NanosPerMilli);
        var (sec, frac) = Math.DivRem(ts, Time.NanosPerSecond);
        _lines.Add((ts, string.Create(CultureInfo.InvariantCulture, $"{comm,16} {tid,6} [{cpu:D3}] {sec}.{frac:D9}: {body}")));
    }

    public void Complete(HostModel model, long endNs)
    {
        _w?.Dispose();
        _w = null;
    }
}
