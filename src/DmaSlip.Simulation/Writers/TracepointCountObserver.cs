using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Writers;

/// <summary>
/// <c>perf stat -x, -I &lt;ms&gt; -a -A -C &lt;queue cpus&gt; -o perf-stat-tracepoints.csv -e iommu:map,iommu:unmap,intel_iommu:qi_submit,napi:napi_poll,net:netif_receive_skb,net:net_dev_xmit</c>:
/// tracepoint hit counts per CPU and interval, what a collector runs all day (counting a tracepoint costs an
/// increment, no buffer). One row per (interval, CPU, event): <c>secs,CPU&lt;n&gt;,value,,event,run_ns,100.00,,</c>
/// (perf's <c>-A</c> CSV layout). The CPUs are those serving the NIC queues (IRQ affinity), so per-CPU counts are
/// per-queue counts. Counts are what the model's steps did: the same quantities the trace writer expands into events.
/// </summary>
internal sealed class TracepointCountObserver : IHostObserver, IDisposable
{
    public static readonly string[] Events =
        ["iommu:map", "iommu:unmap", "intel_iommu:qi_submit", "napi:napi_poll", "net:netif_receive_skb", "net:net_dev_xmit"];

    private readonly StreamWriter _w;
    private readonly int _intervalMs;
    private readonly long[,] _acc;
    private readonly int[] _cpu;
    private readonly string _runNs;

    public TracepointCountObserver(string path, HostSetup setup, long startNs, int intervalMs)
    {
        _w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        _intervalMs = intervalMs;
        _acc = new long[setup.Queues, Events.Length];
        _cpu = new int[setup.Queues];
        for (var q = 0; q < _cpu.Length; q++)
        {
            _cpu[q] = setup.CpuOf(q);
        }
        _runNs = ((long)intervalMs * Time.NanosPerMilli).ToString(Fmt.Inv);
        _w.WriteLine(PerfStatObserver.StartedOn(startNs));
        _w.WriteLine();
    }

    public void OnStep(HostModel model, int ms, long tsNs)
    {
        var steps = model.Steps;
        for (var q = 0; q < steps.Length; q++)
        {
            ref readonly var s = ref steps[q];
            _acc[q, 0] += s.Maps;
            _acc[q, 1] += s.Unmaps;
            // qi_submit fires once per descriptor: a page-selective one per strict unmap, a domain one per flush.
            _acc[q, 2] += s.Invalidations + s.Flushes;
            _acc[q, 3] += s.NapiPolls;
            _acc[q, 4] += s.RxProcessed;
            _acc[q, 5] += s.Tx;
        }
        if ((ms + 1) % _intervalMs != 0)
        {
            return;
        }
        var secs = Fmt.UnixSeconds((long)(ms + 1) * Time.NanosPerMilli);
        for (var q = 0; q < _cpu.Length; q++)
        {
            var cpu = "CPU" + _cpu[q].ToString(Fmt.Inv);
            for (var e = 0; e < Events.Length; e++)
            {
                _w.Write(secs);
                _w.Write(',');
                _w.Write(cpu);
                _w.Write(',');
                _w.Write(_acc[q, e].ToString(Fmt.Inv));
                _w.Write(",,");
                _w.Write(Events[e]);
                _w.Write(',');
                _w.Write(_runNs);
                _w.WriteLine(",100.00,,");
                _acc[q, e] = 0;
            }
        }
    }

    public void Complete(HostModel model, long endNs) => Dispose();

    public void Dispose() => _w.Dispose();
}
