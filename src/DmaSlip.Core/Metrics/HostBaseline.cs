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

    /// <summary>Scale floor as a share of the median.</summary>
    public const double RelativeScaleFloor = 0.05;

    /// <summary>Burst q95 scale floor: one invalidation per slot.</summary>
    public const double BurstScaleFloor = 1.0;

    /// <summary>
    /// Builds a baseline from a host's frames. The calm set is every frame whose flush rate and burst q95 are both
    /// within <see cref="CalmTrimZ"/> robust σ above the medians of all frames; medians and scales are then recomputed
    /// on the calm set (robust against storms covering up to half of the frames). The rate floor is one flush per
    /// window (1 / window seconds).
    /// </summary>
    public static HostBaseline FromFrames(string host, IReadOnlyList<HostFrame> frames)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException($"No frames to build a baseline for host '{host}'.", nameof(frames));
        }
        var rateFloor = Time.NanosPerSecond / (double)frames[0].WindowNs;
        var rates = new double[frames.Count];
        var bursts = new List<double>(frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            rates[i] = frames[i].FlushRate;
            if (frames[i].FlushBurstQ95 is { } b)
            {
                bursts.Add(b);
            }
        }
        var (rMed, rScale) = Robust(rates, rateFloor);
        // Burst quantiles exist only where a trace capture covered the window: without any, the burst half of DFI is
        // absent (NaN median and scale), never a made-up 0.
        var (bMed, bScale) = bursts.Count > 0 ? Robust([.. bursts], BurstScaleFloor) : (double.NaN, double.NaN);

        var calmRates = new List<double>(frames.Count);
        var calmBursts = new List<double>(frames.Count);
        foreach (var f in frames)
        {
            var burstCalm = f.FlushBurstQ95 is not { } fb || double.IsNaN(bMed) || (fb - bMed) / bScale <= CalmTrimZ;
            if ((f.FlushRate - rMed) / rScale <= CalmTrimZ && burstCalm)
            {
                calmRates.Add(f.FlushRate);
                if (f.FlushBurstQ95 is { } cb)
                {
                    calmBursts.Add(cb);
                }
            }
        }
        if (calmRates.Count > 0)
        {
            (rMed, rScale) = Robust([.. calmRates], rateFloor);
            if (calmBursts.Count > 0)
            {
                (bMed, bScale) = Robust([.. calmBursts], BurstScaleFloor);
            }
        }
        return new HostBaseline(host, calmRates.Count, rMed, rScale, bMed, bScale);
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
