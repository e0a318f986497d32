using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Metrics;

/// <summary>
/// A host's calm flush statistics, the reference of its DFI (docs/METRICS.md "DFI"). Robust: medians and scaled
/// MADs (1.4826·MAD, the normal-consistent σ) of flush rate and flush burst q95 over the host's calm frames, with
/// floors so that a host whose calm windows are all identical (e.g. no flushes at all) still gets a finite scale.
/// A plain record of numbers, so it serializes to JSON/CSV as is.
/// </summary>
public sealed record HostBaseline(
    string Host,
    int Frames,
    double FlushRateMedian,
    double FlushRateScale,
    double BurstQ95Median,
    double BurstQ95Scale)
{
    /// <summary>Consistency constant turning a MAD into a σ estimate for normal data.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>Frames further than this many robust σ above the median are dropped as non-calm (one trimming pass).</summary>
    public const double CalmTrimZ = 3.5;

    /// <summary>
    /// Scale floor as a share of the median: σ ≥ m/2, so a window scores DFI 50 (z = 3) only at 2.5× its queue's calm
    /// median and 80 at 3.2×. A flush storm is a multiple of the calm invalidation rate (20–50× on the simulator's storm
    /// days), while a strict-mode host's calm traffic bursts to 2× for a few hundred ms with every market-data
    /// microburst; with 5 % (before issue 19) a 60 s warm-up baseline scored such bursts DFI 80–93 and the controller
    /// went to PRESSURE_WATCH outside storms (docs/METRICS.md, "Pressure calibration against the truth").
    /// </summary>
    public const double RelativeScaleFloor = 0.5;

    /// <summary>Burst q95 scale floor: one invalidation per slot.</summary>
    public const double BurstScaleFloor = 1.0;

    /// <summary>
    /// A run of at least this many consecutive elevated windows of one queue (either robust z above
    /// <see cref="CalmTrimZ"/>) is sustained pressure; shorter runs (a market-data microburst lifts one or two 100 ms
    /// windows) are calm traffic and count toward the tail scale.
    /// </summary>
    public const int SustainedWindows = 10;

    /// <summary>
    /// Quantile of the calm-with-bursts set that sets the tail scale: σ_tail = (q₉₉.₉ − q₅₀)/z₀.₉₉₉. q₉₉.₉, not q₉₉:
    /// market-data microbursts are 1–2 % of a strict-mode queue's calm windows, so with q₉₉ the scale point sat inside
    /// them and every microburst scored above 2.3 σ (DFI 30–80 on the worst of four queues; issue 19).
    /// </summary>
    public const double TailQuantile = 0.999;

    /// <summary>z₀.₉₉₉ of the standard normal.</summary>
    public const double TailQuantileZ = 3.090232306167813;

    /// <summary>Per-queue baselines keyed by (device, queue); frames of other queues use the host-level fields.</summary>
    public IReadOnlyDictionary<(string Device, int Queue), QueueBaseline>? Queues { get; init; }

    /// <summary>
    /// Calm median of the worst queue's combined z over the host's calm windows (0 with one queue): the host's DFI is
    /// read as its worst queue, and with k queues the worst of k calm queues sits above a single calm queue's median.
    /// DFI subtracts it, so a calm host scores calm whatever its queue layout.
    /// </summary>
    public double WorstQueueOffsetZ { get; init; }

    /// <summary>
    /// Builds a baseline from a host's frames: host-level statistics from all frames, per-queue statistics from each
    /// (device, queue)'s frames (<see cref="Queues"/>), and the worst-queue offset. Statistics of a set of frames
    /// (<see cref="Stats"/>): median m and scale max(robust σ, tail σ, floors) of flush rate and burst q95 over the calm
    /// frames (both robust z ≤ <see cref="CalmTrimZ"/> against all frames; medians recomputed on them); robust σ =
    /// 1.4826·MAD (or 1.253314·mean |x − m| when MAD = 0), tail σ = (q₉₉.₉ − q₅₀)/3.090 over the calm frames plus the
    /// elevated ones that are not part of a run of <see cref="SustainedWindows"/> consecutive elevated windows of their
    /// queue: a host's calm traffic has bursts (market-data microbursts lift a strict-mode host's flush rate by half for
    /// tens of ms) that are part of calm, while a flush storm is sustained.
    /// </summary>
    public static HostBaseline FromFrames(string host, IReadOnlyList<HostFrame> frames)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException($"No frames to build a baseline for host '{host}'.", nameof(frames));
        }
        var all = Stats(frames);
        var byQueue = new Dictionary<(string Device, int Queue), List<HostFrame>>();
        foreach (var f in frames)
        {
            if (!byQueue.TryGetValue((f.Device, f.Queue), out var list))
            {
                byQueue[(f.Device, f.Queue)] = list = [];
            }
            list.Add(f);
        }
        var queues = new Dictionary<(string Device, int Queue), QueueBaseline>();
        foreach (var (key, list) in byQueue)
        {
            queues[key] = Stats(list).Queue;
        }
        var baseline = new HostBaseline(host, all.CalmFrames, all.Queue.FlushRateMedian, all.Queue.FlushRateScale, all.Queue.BurstQ95Median, all.Queue.BurstQ95Scale)
        {
            Queues = queues,
        };
        return queues.Count <= 1 ? baseline : baseline with { WorstQueueOffsetZ = WorstQueueOffset(frames, baseline) };
    }

    /// <summary>Median over windows in which every queue is calm (combined z ≤ <see cref="CalmTrimZ"/>) of the worst queue's combined z; ≥ 0.</summary>
    private static double WorstQueueOffset(IReadOnlyList<HostFrame> frames, HostBaseline baseline)
    {
        var worst = new Dictionary<long, double>();
        foreach (var f in frames)
        {
            if (DeskMetrics.CombinedZ(f, baseline) is not { } z)
            {
                continue; // no invalidation source and no trace: says nothing about calm
            }
            var calm = z <= CalmTrimZ;
            worst[f.WindowStartNs] = worst.TryGetValue(f.WindowStartNs, out var w) ? (double.IsNaN(w) || !calm ? double.NaN : Math.Max(w, z)) : calm ? z : double.NaN;
        }
        var values = worst.Values.Where(v => !double.IsNaN(v)).ToArray();
        return values.Length == 0 ? 0 : Math.Max(0, ExactQuantile.Median(values));
    }

    /// <summary>Calm medians and scales of a set of frames (see <see cref="FromFrames"/>) and the calm frame count.</summary>
    internal static (QueueBaseline Queue, int CalmFrames) Stats(IReadOnlyList<HostFrame> frames)
    {
        var rateFloor = Time.NanosPerSecond / (double)frames[0].WindowNs;
        var rates = new List<double>(frames.Count);
        var bursts = new List<double>(frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].FlushRate is { } r)
            {
                rates.Add(r);
            }
            if (frames[i].FlushBurstQ95 is { } b)
            {
                bursts.Add(b);
            }
        }
        // Flush rates exist only where an invalidation source covered the window, burst quantiles only where a trace
        // capture did: without any, that half of DFI is absent (NaN median and scale), never a made-up 0.
        var (rMed, rScale) = rates.Count > 0 ? Robust([.. rates], rateFloor) : (double.NaN, double.NaN);
        var (bMed, bScale) = bursts.Count > 0 ? Robust([.. bursts], BurstScaleFloor) : (double.NaN, double.NaN);

        var calmRates = new List<double>(frames.Count);
        var calmBursts = new List<double>(frames.Count);
        var wideRates = new List<double>(frames.Count);
        var wideBursts = new List<double>(frames.Count);
        var sustained = Sustained(frames, rMed, rScale, bMed, bScale);
        var calmFrames = 0;
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            if (RateZ(f, rMed, rScale) <= CalmTrimZ && BurstZ(f, bMed, bScale) <= CalmTrimZ)
            {
                calmFrames++;
                if (f.FlushRate is { } cr)
                {
                    calmRates.Add(cr);
                }
                if (f.FlushBurstQ95 is { } cb)
                {
                    calmBursts.Add(cb);
                }
            }
            if (!sustained[i])
            {
                if (f.FlushRate is { } wr)
                {
                    wideRates.Add(wr);
                }
                if (f.FlushBurstQ95 is { } wb)
                {
                    wideBursts.Add(wb);
                }
            }
        }
        if (calmRates.Count > 0)
        {
            (rMed, rScale) = Robust([.. calmRates], rateFloor);
        }
        if (calmBursts.Count > 0)
        {
            (bMed, bScale) = Robust([.. calmBursts], BurstScaleFloor);
        }
        rScale = double.IsNaN(rMed) ? rScale : Math.Max(rScale, TailScale(wideRates, rMed));
        bScale = double.IsNaN(bMed) ? bScale : Math.Max(bScale, TailScale(wideBursts, bMed));
        return (new QueueBaseline(rMed, rScale, bMed, bScale), calmFrames);
    }

    /// <summary>Per frame: part of a run of ≥ <see cref="SustainedWindows"/> consecutive elevated windows of its queue.</summary>
    private static bool[] Sustained(IReadOnlyList<HostFrame> frames, double rMed, double rScale, double bMed, double bScale)
    {
        var result = new bool[frames.Count];
        var order = Enumerable.Range(0, frames.Count)
            .OrderBy(i => frames[i].Device, StringComparer.Ordinal).ThenBy(i => frames[i].Queue).ThenBy(i => frames[i].WindowStartNs).ToArray();
        var runStart = 0;
        for (var k = 0; k <= order.Length; k++)
        {
            var elevated = k < order.Length && Elevated(frames[order[k]], rMed, rScale, bMed, bScale);
            var continues = elevated && k > runStart && Adjacent(frames[order[k - 1]], frames[order[k]]);
            if (elevated && (k == runStart || continues))
            {
                continue;
            }
            if (k - runStart >= SustainedWindows)
            {
                for (var j = runStart; j < k; j++)
                {
                    result[order[j]] = true;
                }
            }
            runStart = elevated ? k : k + 1;
        }
        return result;
    }

    private static bool Elevated(HostFrame f, double rMed, double rScale, double bMed, double bScale) =>
        RateZ(f, rMed, rScale) > CalmTrimZ || BurstZ(f, bMed, bScale) > CalmTrimZ;

    /// <summary>Robust z of a frame's flush rate, or −∞ when the frame (no invalidation source) or the baseline has none.</summary>
    private static double RateZ(HostFrame f, double rMed, double rScale) =>
        f.FlushRate is { } r && !double.IsNaN(rMed) ? (r - rMed) / rScale : double.NegativeInfinity;

    /// <summary>Robust z of a frame's burst q95, or −∞ when the frame or the baseline has no burst quantile (rate alone decides).</summary>
    private static double BurstZ(HostFrame f, double bMed, double bScale) =>
        f.FlushBurstQ95 is { } b && !double.IsNaN(bMed) ? (b - bMed) / bScale : double.NegativeInfinity;

    private static bool Adjacent(HostFrame a, HostFrame b) =>
        string.Equals(a.Device, b.Device, StringComparison.Ordinal) && a.Queue == b.Queue && b.WindowStartNs - a.WindowStartNs == a.WindowNs;

    /// <summary>A tail quantile needs this many values to say anything: fewer give no tail scale (with 100–999 the q₉₉.₉ is read near the sample maximum).</summary>
    public const int TailMinFrames = 100;

    /// <summary>(q₉₉.₉ − median)/z₀.₉₉₉ of <paramref name="values"/> (0 with fewer than <see cref="TailMinFrames"/>).</summary>
    internal static double TailScale(List<double> values, double median)
    {
        if (values.Count < TailMinFrames)
        {
            return 0;
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
        return Math.Max(0, (ExactQuantile.OfUnsorted(span, TailQuantile) - median) / TailQuantileZ);
    }

    /// <summary>Consistency constant turning a mean absolute deviation into a σ estimate for normal data.</summary>
    public const double MeanAdToSigma = 1.253314;

    /// <summary>
    /// Median and floored robust scale of <paramref name="values"/> (reorders the array): 1.4826·MAD, or, when more
    /// than half the values equal the median (MAD = 0, e.g. a lazy-mode host whose flush queue drains in one window of
    /// four), 1.253314·mean absolute deviation from the median (Iglewicz–Hoaglin modified z-score).
    /// </summary>
    internal static (double Median, double Scale) Robust(double[] values, double absoluteFloor)
    {
        var median = ExactQuantile.Median(values);
        double sumAd = 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Abs(values[i] - median);
            sumAd += values[i];
        }
        var mad = ExactQuantile.Median(values);
        var spread = mad > 0 ? MadToSigma * mad : MeanAdToSigma * sumAd / values.Length;
        var scale = Math.Max(spread, Math.Max(RelativeScaleFloor * Math.Abs(median), absoluteFloor));
        return (median, scale);
    }
}

/// <summary>One queue's calm flush statistics (see <see cref="HostBaseline.FromFrames"/>).</summary>
public readonly record struct QueueBaseline(double FlushRateMedian, double FlushRateScale, double BurstQ95Median, double BurstQ95Scale);
