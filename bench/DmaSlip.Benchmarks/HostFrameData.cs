using DmaSlip.Core.Domain;

namespace DmaSlip.Benchmarks;

/// <summary>
/// Deterministic raw host events (Count = 1, as traced) for the host-frame benchmarks: per stream and per ms about
/// 25 events in a realistic mix (flushes, qi_submit with latency, map/unmap, DMA completions, RX/TX, NAPI polls,
/// ring and buffer samples), with a flush burst in 5 % of the slots.
/// </summary>
internal static class HostFrameData
{
    public static readonly long T0 = Time.FromDate(2026, 1, 5);

    public static HostEvent[] Stream(int queue, int events, int seed)
    {
        var rng = new Random(seed);
        var result = new HostEvent[events];
        var n = 0;
        for (long ms = 0; n < events; ms++)
        {
            var slot = T0 + ms * Time.NanosPerMilli;
            var flushes = rng.NextDouble() < 0.05 ? 20 : 3;
            void Add(HostEventKind kind, long size, long value, long aux)
            {
                if (n < events)
                {
                    result[n++] = new HostEvent(slot + n % 997 * 1000, kind, queue, 0, size, value, aux);
                }
            }
            for (var i = 0; i < flushes; i++)
            {
                Add(HostEventKind.Flush, 0, 0, 0);
            }
            Add(HostEventKind.QiSubmit, 0, 800 + rng.Next(4000), 0);
            Add(HostEventKind.QiSubmit, 0, 800 + rng.Next(4000), 0);
            for (var i = 0; i < 4; i++)
            {
                Add(HostEventKind.Map, 4096, 0, 0);
                Add(HostEventKind.Unmap, 4096, 0, 0);
                Add(HostEventKind.DmaComplete, 0, 1500 + rng.Next(rng.NextDouble() < 0.02 ? 50_000 : 1000), 0);
                Add(HostEventKind.Rx, 1500, 0, 0);
            }
            Add(HostEventKind.Tx, 200, 0, 0);
            Add(HostEventKind.Tx, 200, 0, 0);
            Add(HostEventKind.NapiPoll, 2000 + rng.Next(20_000), rng.Next(65), 64);
            if (ms % 5 == 0)
            {
                Add(HostEventKind.RingOccupancy, 0, rng.Next(512), 512);
            }
            Add(HostEventKind.BufferPlacement, 0, rng.NextDouble() < 0.9 ? 1 : 0, 0);
        }
        // Events of a slot were spread with an offset; keep the stream non-decreasing in time.
        Array.Sort(result, (a, b) => a.TsNs.CompareTo(b.TsNs));
        return result;
    }
}
