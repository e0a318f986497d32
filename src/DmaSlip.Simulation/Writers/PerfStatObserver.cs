using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;

namespace DmaSlip.Simulation.Writers;

/// <summary>
/// <c>perf stat -x, -I &lt;ms&gt; -a -o perf-stat.csv -e dmar1/iommu_requests/,dmar1/iotlb_lookup/,dmar1/iotlb_hit/</c>:
/// the VT-d PMU (Sapphire Rapids+) counted per interval. The file starts with perf's <c># started on</c> line
/// (ctime format); each row is interval-end seconds since the start, value, unit (empty), event, counter run
/// time in ns and the percentage of time it ran, then the two empty metric columns.
/// </summary>
internal sealed class PerfStatObserver : IHostObserver, IDisposable
{
    private static readonly string[] Events = ["dmar1/iommu_requests/", "dmar1/iotlb_lookup/", "dmar1/iotlb_hit/"];
    private readonly StreamWriter _w;
    private readonly int _intervalMs;
    private readonly bool _translated;
    private long _lookups, _misses;

    public PerfStatObserver(string path, long startNs, int intervalMs, IommuMode mode)
    {
        _w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        _intervalMs = intervalMs;
        _translated = mode != IommuMode.Passthrough;
        _w.WriteLine(StartedOn(startNs));
        _w.WriteLine();
    }

    /// <summary>perf's first line, <c># started on</c> + ctime(3) "Www Mmm dd hh:mm:ss yyyy" (day padded with a space).</summary>
    public static string StartedOn(long startNs)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(startNs / Time.NanosPerMilli).UtcDateTime;
        return "# started on " + start.ToString("ddd MMM ", Fmt.Inv) + start.Day.ToString(Fmt.Inv).PadLeft(2) + start.ToString(" HH:mm:ss yyyy", Fmt.Inv);
    }

    public void OnStep(HostModel model, int ms, long tsNs)
    {
        if ((ms + 1) % _intervalMs != 0)
        {
            return;
        }
        long lookups = 0, misses = 0;
        foreach (ref readonly var c in model.Counters)
        {
            lookups += c.IotlbLookups;
            misses += c.IotlbMisses;
        }
        var dl = lookups - _lookups;
        var dm = misses - _misses;
        _lookups = lookups;
        _misses = misses;
        var t = (ms + 1) / 1000.0;
        var stamp = ((long)(ms + 1) * Time.NanosPerMilli);
        var secs = Fmt.UnixSeconds(stamp);
        var runNs = ((long)_intervalMs * Time.NanosPerMilli).ToString(Fmt.Inv);
        long[] values = _translated ? [dl, dl, dl - dm] : [0, 0, 0];
        for (var i = 0; i < Events.Length; i++)
        {
            _w.Write(secs);
            _w.Write(',');
            _w.Write(values[i].ToString(Fmt.Inv));
            _w.Write(",,");
            _w.Write(Events[i]);
            _w.Write(',');
            _w.Write(runNs);
            _w.WriteLine(",100.00,,");
        }
        _ = t;
    }

    public void Complete(HostModel model, long endNs) => Dispose();

    public void Dispose() => _w.Dispose();
}
