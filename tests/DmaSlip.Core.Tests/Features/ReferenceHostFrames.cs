using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Tests.Features;

/// <summary>Brute-force host frames: every aggregated event expanded into Count copies, exact quantiles by sorting.</summary>
internal static class ReferenceHostFrames
{
    public static List<HostFrame> Compute(string host, string device, int queue, IEnumerable<HostEvent> events, HostFrameOptions o)
    {
        var frames = new List<HostFrame>();
        var seconds = o.WindowNs / 1e9;
        foreach (var w in events.Where(e => e.Count > 0).GroupBy(e => Time.FloorWindow(e.TsNs, o.WindowNs)).OrderBy(g => g.Key))
        {
            var list = w.ToList();
            long Sum(HostEventKind k) => list.Where(e => e.Kind == k).Sum(e => (long)e.Count);
            double[] Slots(HostEventKind k)
            {
                var s = new double[o.Slots];
                foreach (var e in list.Where(e => e.Kind == k))
                {
                    s[(e.TsNs - w.Key) / o.SlotNs] += e.Count;
                }
                return s;
            }
            double[] Expand(HostEventKind k, Func<HostEvent, bool> keep, Func<HostEvent, double> value) =>
                list.Where(e => e.Kind == k && keep(e)).SelectMany(e => Enumerable.Repeat(value(e), e.Count)).OrderBy(v => v).ToArray();
            double? Q(double[] sorted, double q) => sorted.Length == 0 ? null : ExactQuantile.OfSorted(sorted, q);
            double? Cv(double[] s)
            {
                var mean = s.Average();
                return mean == 0 ? null : Math.Sqrt(Math.Max(0, s.Select(x => (x - mean) * (x - mean)).Average() - mean)) / mean;
            }
            var flushes = Sum(HostEventKind.Flush);
            var qi = Sum(HostEventKind.QiSubmit);
            var useFlush = flushes > 0 || qi == 0;
            var bursts = Slots(useFlush ? HostEventKind.Flush : HostEventKind.QiSubmit).OrderBy(v => v).ToArray();
            var inv = Expand(HostEventKind.QiSubmit, e => e.Value > 0, e => e.Value);
            var dma = Expand(HostEventKind.DmaComplete, e => e.Value >= 0, e => e.Value);
            var occ = Expand(HostEventKind.RingOccupancy, e => e.Aux > 0, e => Math.Min(1.0, (double)e.Value / e.Aux));
            var polls = Expand(HostEventKind.NapiPoll, e => e.Size > 0, e => e.Size / 1000.0);
            var budgeted = list.Where(e => e.Kind == HostEventKind.NapiPoll && e.Aux > 0).ToList();
            var buffers = list.Where(e => e.Kind == HostEventKind.BufferPlacement).ToList();
            frames.Add(new HostFrame(host, device, queue, w.Key, o.WindowNs,
                (useFlush ? flushes : qi) / seconds,
                ExactQuantile.OfSorted(bursts, 0.5), ExactQuantile.OfSorted(bursts, 0.95), ExactQuantile.OfSorted(bursts, 0.99),
                Sum(HostEventKind.Map) / seconds, Sum(HostEventKind.Unmap) / seconds, null,
                Q(inv, 0.5), Q(inv, 0.99), Q(dma, 0.5), Q(dma, 0.99),
                occ.Length == 0 ? null : ExactQuantile.OfSorted(occ, 0.95) - ExactQuantile.OfSorted(occ, 0.05),
                polls.Length == 0 ? null : polls.Select(x => (x - polls.Average()) * (x - polls.Average())).Average(),
                budgeted.Count == 0 ? null : budgeted.Where(e => e.Value >= e.Aux).Sum(e => (double)e.Count) / budgeted.Sum(e => (double)e.Count),
                buffers.Count == 0 ? null : buffers.Where(e => e.Value != 0).Sum(e => (double)e.Count) / buffers.Sum(e => (double)e.Count),
                Cv(Slots(HostEventKind.Rx)), Cv(Slots(HostEventKind.Tx)),
                list.Sum(e => (long)e.Count)));
        }
        return frames;
    }
}
