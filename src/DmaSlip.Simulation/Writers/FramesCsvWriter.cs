using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Simulation.Writers;

/// <summary>Canonical CSV of <c>host_frames</c> (header = column names; null = empty field), streamed as frames close.</summary>
internal sealed class FramesCsvWriter : IHostFrameSink, IDisposable
{
    public const string Header = "host,device,queue,window_start_ns,window_ns,flush_rate,flush_burst_q50,flush_burst_q95,flush_burst_q99,map_rate,unmap_rate,iotlb_miss_ratio,inv_latency_q50_ns,inv_latency_q99_ns,dma_latency_q50_ns,dma_latency_q99_ns,ring_oscillation,napi_poll_variance_us2,napi_saturation_share,numa_local_share,rx_cadence_cv,tx_cadence_cv,events";
    private readonly StreamWriter _w;

    public FramesCsvWriter(string path)
    {
        _w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        _w.WriteLine(Header);
    }

    public List<HostFrame>? Keep { get; init; }

    public void OnFrame(HostFrame f)
    {
        Keep?.Add(f);
        _w.WriteLine(string.Join(',',
            Fmt.Csv(f.Host), Fmt.Csv(f.Device), f.Queue.ToString(Fmt.Inv), f.WindowStartNs.ToString(Fmt.Inv), f.WindowNs.ToString(Fmt.Inv),
            N(f.FlushRate), N(f.FlushBurstQ50), N(f.FlushBurstQ95), N(f.FlushBurstQ99), N(f.MapRate), N(f.UnmapRate),
            N(f.IotlbMissRatio), N(f.InvLatencyQ50Ns), N(f.InvLatencyQ99Ns), N(f.DmaLatencyQ50Ns), N(f.DmaLatencyQ99Ns), N(f.RingOscillation),
            N(f.NapiPollVarianceUs2), N(f.NapiSaturationShare), N(f.NumaLocalShare), N(f.RxCadenceCv), N(f.TxCadenceCv), f.Events.ToString(Fmt.Inv)));
    }

    private static string N(double? v) => v is { } x ? Fmt.D(x) : "";

    public void Dispose() => _w.Dispose();
}
