using DmaSlip.Core.Features;
using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>
/// Hosts whose mean send→ack RTT in storms looks normal (at most <see cref="MeanRttNormalRatio"/> × calm) while the
/// p99 is at least <see cref="TailRttRatio"/> × calm: an average-RTT dashboard shows nothing.
/// </summary>
internal sealed class AverageRttOnlyDetector : IAntiPatternDetector
{
    /// <summary>Average RTT "looks normal" when its storm/calm ratio is at most this...</summary>
    public const double MeanRttNormalRatio = 1.25;

    /// <summary>...while the p99 ratio is at least this.</summary>
    public const double TailRttRatio = 2.0;

    public string Kind => AntiPatternKinds.AverageRttOnly;

    public IEnumerable<Finding> Detect(AdviceInputs inputs)
    {
        foreach (var h in inputs.Hosts.Where(h => h.StormIntervals.Count > 0))
        {
            if (!inputs.RoundTrips.TryGetValue(h.Host, out var rt))
            {
                continue;
            }
            var (storm, calm) = StormWindows.Split(rt.SendTs, rt.Rtt, h.StormIntervals);
            if (storm.Count < StormWindows.MinSamples || calm.Count < StormWindows.MinSamples)
            {
                continue;
            }
            var meanRatio = storm.Average() / calm.Average();
            var p99Storm = ExactQuantile.OfUnsorted(storm.ToArray(), 0.99);
            var p99Calm = ExactQuantile.OfUnsorted(calm.ToArray(), 0.99);
            var tailRatio = p99Storm / p99Calm;
            if (meanRatio <= MeanRttNormalRatio && tailRatio >= TailRttRatio)
            {
                yield return new Finding(Kind, "medium", [h.Host],
                    F($"{h.Host} ({h.Pool}): mean send→ack RTT in storms is {meanRatio:0.00}× calm ({storm.Average() / 1000:0.0} vs {calm.Average() / 1000:0.0} µs) while p99 is {tailRatio:0.0}× ({p99Storm / 1000:0.0} vs {p99Calm / 1000:0.0} µs): an average-RTT dashboard shows nothing"),
                    new Dictionary<string, object?>
                    {
                        ["mean_rtt_storm_us"] = Round(storm.Average() / 1000),
                        ["mean_rtt_calm_us"] = Round(calm.Average() / 1000),
                        ["p99_rtt_storm_us"] = Round(p99Storm / 1000),
                        ["p99_rtt_calm_us"] = Round(p99Calm / 1000),
                        ["samples_storm"] = storm.Count,
                        ["samples_calm"] = calm.Count,
                    });
            }
        }
    }
}
