using DmaSlip.Core.Domain;

namespace DmaSlip.Models.Features;

/// <summary>
/// Builds each parent's overlay feature vector from the host frames of its host and the exec frames of its
/// (host, symbol) over the parent's life [arrival, end]: a frame counts when its window overlaps that span; the host's
/// RX drop share over the same span comes from its NIC counters (<see cref="RxDropShare"/>).
/// Aggregates skip null fields; a feature with no data is NaN (LightGBM's missing value).
/// </summary>
public sealed class ParentFeatureBuilder
{
    private readonly Dictionary<string, HostFrame[]> _hostFrames;
    private readonly Dictionary<(string Host, string Symbol), ExecFrame[]> _execFrames;

    private readonly RxDropShare? _drops;

    public ParentFeatureBuilder(IEnumerable<HostFrame> hostFrames, IEnumerable<ExecFrame> execFrames, RxDropShare? drops = null)
    {
        _drops = drops;
        _hostFrames = hostFrames.GroupBy(f => f.Host, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.WindowStartNs).ToArray(), StringComparer.Ordinal);
        _execFrames = execFrames.GroupBy(f => (f.Host, f.Symbol))
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.WindowStartNs).ToArray());
    }

    /// <summary>Market and parent-level inputs of one parent (same units as <see cref="Pipeline.ParentRecord"/>).</summary>
    public readonly record struct ParentInputs(
        string Host,
        string Symbol,
        long ArrivalNs,
        long EndNs,
        double HalfSpreadBps,
        double SigmaDailyBps,
        double Participation,
        double QueueAheadRatio,
        double LatencyUs,
        double PassiveFillRatio,
        double SigmaLifeBps = double.NaN);

    public float[] Build(in ParentInputs p)
    {
        var v = new float[OverlayFeatureSchema.Count];
        Array.Fill(v, float.NaN);
        var i = 0;
        var h = new Agg[16];
        if (_hostFrames.TryGetValue(p.Host, out var frames))
        {
            for (var k = FirstOverlapping(frames, p.ArrivalNs); k < frames.Length && frames[k].WindowStartNs < p.EndNs; k++)
            {
                var f = frames[k];
                h[0].Add(f.FlushRate);
                h[1].Add(f.FlushBurstQ95);
                h[2].Add(f.FlushBurstQ99);
                h[3].Add(f.MapRate);
                h[4].Add(f.UnmapRate);
                h[5].Add(f.IotlbMissRatio);
                h[6].Add(f.InvLatencyQ50Ns);
                h[7].Add(f.InvLatencyQ99Ns);
                h[8].Add(f.DmaLatencyQ50Ns);
                h[9].Add(f.DmaLatencyQ99Ns);
                h[10].Add(f.DmaLatencyQ50Ns is > 0 && f.DmaLatencyQ99Ns is { } q99 ? (q99 - f.DmaLatencyQ50Ns.Value) / f.DmaLatencyQ50Ns.Value : null);
                h[11].Add(f.NumaLocalShare);
                h[12].Add(f.RingOscillation);
                h[13].Add(f.NapiPollVarianceUs2);
                h[14].Add(f.NapiSaturationShare);
                h[15].Add(Pso(f.RxCadenceCv, f.TxCadenceCv));
            }
        }
        var e = new Agg[8];
        if (_execFrames.TryGetValue((p.Host, p.Symbol), out var exec))
        {
            for (var k = FirstOverlapping(exec, p.ArrivalNs); k < exec.Length && exec[k].WindowStartNs < p.EndNs; k++)
            {
                var f = exec[k];
                e[0].Add(f.DecisionToSendP50Ns);
                e[1].Add(f.DecisionToSendP99Ns);
                e[2].Add(f.IngressGapVarianceUs2);
                e[3].Add(f.BurstIndex);
                e[4].Add(f.PhaseErrorP95Ns);
                e[5].Add(f.CancelAckDriftNs);
                e[6].Add(f.ReplaceAckDriftNs);
            }
        }
        v[i++] = h[0].Mean; v[i++] = h[0].Max; v[i++] = h[1].Max; v[i++] = h[2].Max;
        v[i++] = h[3].Mean; v[i++] = h[4].Mean; v[i++] = h[5].Mean;
        v[i++] = h[6].Mean; v[i++] = h[7].Mean; v[i++] = h[7].Max;
        v[i++] = h[8].Mean; v[i++] = h[9].Mean; v[i++] = h[9].Max;
        v[i++] = h[10].Mean; v[i++] = h[10].Max; v[i++] = h[11].Mean;
        v[i++] = e[0].Mean; v[i++] = e[1].Mean; v[i++] = e[1].Max;
        v[i++] = h[12].Mean; v[i++] = h[12].Max; v[i++] = h[13].Mean; v[i++] = h[13].Max; v[i++] = h[14].Mean;
        v[i++] = h[15].Mean; v[i++] = h[15].Max;
        v[i++] = e[2].Mean; v[i++] = e[3].Mean; v[i++] = e[3].Max; v[i++] = e[4].Mean; v[i++] = e[4].Max;
        v[i++] = (float)(_drops?.Over(p.Host, p.ArrivalNs, p.EndNs) ?? double.NaN);
        // Raw values; CrossHostRelativizer turns them into host-relative ones once every parent is built.
        v[i++] = e[5].Mean; v[i++] = e[6].Mean;
        v[i++] = (float)p.LatencyUs; v[i++] = (float)p.PassiveFillRatio;
        v[i++] = (float)p.HalfSpreadBps;
        v[i++] = (float)p.SigmaDailyBps;
        v[i++] = (float)Math.Log(Math.Max(p.Participation, 1e-6));
        v[i++] = (float)Math.Log(1 + Math.Max(p.QueueAheadRatio, 0));
        v[i++] = (float)Math.Log(1 + (Math.Max(p.EndNs - p.ArrivalNs, 0) / 1e9));
        v[i++] = (float)p.SigmaLifeBps;
        // strategy_code stays NaN here: its codes belong to a fitted model (SlippageModel.Matrix fills it).
        return v;
    }

    private static double? Pso(double? rx, double? tx) =>
        rx is null ? tx : tx is null ? rx : Math.Max(rx.Value, tx.Value);

    private static int FirstOverlapping(HostFrame[] frames, long fromNs) =>
        FirstOverlapping(frames, static f => f.WindowStartNs + f.WindowNs, fromNs);

    private static int FirstOverlapping(ExecFrame[] frames, long fromNs) =>
        FirstOverlapping(frames, static f => f.WindowStartNs + f.WindowNs, fromNs);

    /// <summary>Index of the first frame (sorted by start, uniform length per source) that ends after <paramref name="fromNs"/>.</summary>
    private static int FirstOverlapping<T>(T[] frames, Func<T, long> windowEnd, long fromNs)
    {
        int lo = 0, hi = frames.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (windowEnd(frames[mid]) <= fromNs)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private struct Agg
    {
        private double _sum;
        private double _max;
        private int _n;

        public readonly float Mean => _n == 0 ? float.NaN : (float)(_sum / _n);

        public readonly float Max => _n == 0 ? float.NaN : (float)_max;

        public void Add(double? value)
        {
            if (value is not { } x || double.IsNaN(x))
            {
                return;
            }
            _max = _n == 0 ? x : Math.Max(_max, x);
            _sum += x;
            _n++;
        }
    }
}
