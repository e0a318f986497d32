using System.Globalization;
using System.Text;
using DmaSlip.Core.Domain;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>
/// Writes a host's frames.csv (canonical host_frames columns) like the simulator does: 100 ms windows, 8 queues,
/// calm flush rates with mild deterministic noise, and a flush storm (10× flush rate and bursts) from window
/// <c>stormFrom</c> on.
/// </summary>
internal static class FrameFiles
{
    public const long WindowNs = 100 * Time.NanosPerMilli;
    public const int Queues = 8;
    public const long StartNs = 1_764_000_000L * Time.NanosPerSecond;

    public static string Header => "host,device,queue,window_start_ns,window_ns,flush_rate,flush_burst_q50,flush_burst_q95,flush_burst_q99,map_rate,unmap_rate,iotlb_miss_ratio,inv_latency_q50_ns,inv_latency_q99_ns,dma_latency_q50_ns,dma_latency_q99_ns,ring_oscillation,napi_poll_variance_us2,napi_saturation_share,numa_local_share,rx_cadence_cv,tx_cadence_cv,events";

    public static IReadOnlyList<HostFrame> Frames(string host, int windows, int stormFrom)
    {
        var frames = new List<HostFrame>(windows * Queues);
        for (var w = 0; w < windows; w++)
        {
            var storm = w >= stormFrom;
            for (var q = 0; q < Queues; q++)
            {
                var noise = 1 + (0.05 * Math.Sin((w * 7) + q));
                var flush = (storm ? 12_000 : 1_000) * noise;
                frames.Add(new HostFrame(host, "eth0", q, StartNs + (w * WindowNs), WindowNs, flush, storm ? 40 : 3, (storm ? 120 : 8) * noise,
                    storm ? 200 : 12, 50_000 * noise, 49_800 * noise, q % 2 == 0 ? 0.01 : null, 900, storm ? 9_000 : 1_500, 2_000,
                    storm ? 30_000 : 4_000, 0.1, 4.5, 0.02, 0.97, 0.2, 0.15, 100_000 + w));
            }
        }
        return frames;
    }

    /// <summary>Writes DIR/hosts/HOST/frames.csv and returns the frames written.</summary>
    public static IReadOnlyList<HostFrame> Write(string dir, string host, int windows, int stormFrom)
    {
        var frames = Frames(host, windows, stormFrom);
        var path = Path.Combine(dir, "hosts", host, "frames.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sb = new StringBuilder().AppendLine(Header);
        foreach (var f in frames)
        {
            sb.AppendLine(string.Join(",", new object?[]
            {
                f.Host, f.Device, f.Queue, f.WindowStartNs, f.WindowNs, f.FlushRate, f.FlushBurstQ50, f.FlushBurstQ95, f.FlushBurstQ99,
                f.MapRate, f.UnmapRate, f.IotlbMissRatio, f.InvLatencyQ50Ns, f.InvLatencyQ99Ns, f.DmaLatencyQ50Ns, f.DmaLatencyQ99Ns,
                f.RingOscillation, f.NapiPollVarianceUs2, f.NapiSaturationShare, f.NumaLocalShare, f.RxCadenceCv, f.TxCadenceCv, f.Events,
            }.Select(v => v switch
            {
                null => "",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            })));
        }
        File.WriteAllText(path, sb.ToString());
        return frames;
    }
}
