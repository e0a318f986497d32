using System.Globalization;
using DmaSlip.Application.Drills;
using DmaSlip.Core.Domain;

namespace DmaSlip.Application.Advice;

internal static partial class AdviceEngine
{
    private static IEnumerable<Finding> PassthroughWithoutReview(IReadOnlyList<HostFacts> hosts)
    {
        var bad = hosts.Where(h => h.Mode == IommuMode.Passthrough && string.IsNullOrWhiteSpace(h.SecurityReview)).ToArray();
        if (bad.Length > 0)
        {
            yield return new Finding(AntiPatternKinds.PassthroughUnreviewed, "high", [.. bad.Select(h => h.Host)],
                F($"{bad.Length} host(s) run the NIC's IOMMU group in passthrough (no DMA isolation) with no security review recorded in hosts.security_review"),
                new Dictionary<string, object?> { ["pools"] = bad.Select(h => h.Pool).Distinct(StringComparer.Ordinal).ToArray() });
        }
    }

    private static IEnumerable<Finding> ChurnIgnored(IReadOnlyList<HostFacts> churn)
    {
        foreach (var h in churn.Where(h => h.Storms >= 2 && h.Fingerprints <= 1))
        {
            yield return new Finding(AntiPatternKinds.ChurnIgnored, "high", [h.Host],
                F($"{h.Host} ({h.Pool}, {h.Mode.Name()}): {h.Storms} flush storms at {h.UnmapRate:0} unmaps/s (median per queue) and no config change recorded"),
                new Dictionary<string, object?>
                {
                    ["storms"] = h.Storms,
                    ["unmap_rate_per_s"] = Round(h.UnmapRate),
                    ["flush_rate_per_s"] = Round(h.FlushRate),
                    ["storm_time_share"] = Round(h.StormTimeShare),
                });
        }
    }

    private static IEnumerable<Finding> AverageRttOnly(AdviceInputs inputs)
    {
        foreach (var h in inputs.Hosts.Where(h => h.StormIntervals.Count > 0))
        {
            if (!inputs.RoundTrips.TryGetValue(h.Host, out var rt))
            {
                continue;
            }
            var (storm, calm) = Split(rt.SendTs, rt.Rtt, h.StormIntervals);
            if (storm.Count < MinSamples || calm.Count < MinSamples)
            {
                continue;
            }
            var meanRatio = storm.Average() / calm.Average();
            var p99Storm = PairedBootstrap.Quantile(storm, 0.99);
            var p99Calm = PairedBootstrap.Quantile(calm, 0.99);
            var tailRatio = p99Storm / p99Calm;
            if (meanRatio <= MeanRttNormalRatio && tailRatio >= TailRttRatio)
            {
                yield return new Finding(AntiPatternKinds.AverageRttOnly, "medium", [h.Host],
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

    private static IEnumerable<Finding> RetryAmplification(AdviceInputs inputs)
    {
        foreach (var h in inputs.Hosts.Where(h => h.StormIntervals.Count > 0))
        {
            if (!inputs.Traffic.TryGetValue(h.Host, out var t))
            {
                continue;
            }
            var sendsIn = CountIn(t.Sends, h.StormIntervals);
            var retriesIn = CountIn(t.Retries, h.StormIntervals);
            var sendsOut = t.Sends.Length - sendsIn;
            var retriesOut = t.Retries.Length - retriesIn;
            if (sendsIn < MinSamples || sendsOut < MinSamples)
            {
                continue;
            }
            var rIn = retriesIn / (double)sendsIn;
            var rOut = retriesOut / (double)sendsOut;
            if (rIn >= RetryPerSendFloor && rIn >= RetryAmplificationRatio * rOut)
            {
                yield return new Finding(AntiPatternKinds.RetryAmplification, "medium", [h.Host],
                    F($"{h.Host} ({h.Pool}): {rIn:0.00} replaces/cancels/rejects per send in storms vs {rOut:0.00} in calm ({rIn / Math.Max(rOut, 1e-9):0.0}×) while PSO (median) is {h.Pso ?? double.NaN:0.00}: retries add packets exactly when service cadence oscillates"),
                    new Dictionary<string, object?>
                    {
                        ["retries_per_send_storm"] = Round(rIn),
                        ["retries_per_send_calm"] = Round(rOut),
                        ["sends_storm"] = sendsIn,
                        ["sends_calm"] = sendsOut,
                        ["pso_median"] = h.Pso is { } p ? Round(p) : null,
                    });
            }
        }
    }

    internal static (List<double> Storm, List<double> Calm) Split(long[] ts, double[] values, IReadOnlyList<(long From, long To)> intervals)
    {
        var storm = new List<double>();
        var calm = new List<double>();
        for (var i = 0; i < ts.Length; i++)
        {
            (In(ts[i], intervals) ? storm : calm).Add(values[i]);
        }
        return (storm, calm);
    }

    internal static int CountIn(long[] ts, IReadOnlyList<(long From, long To)> intervals) => ts.Count(t => In(t, intervals));

    private static bool In(long t, IReadOnlyList<(long From, long To)> intervals)
    {
        foreach (var (from, to) in intervals)
        {
            if (t >= from && t < to)
            {
                return true;
            }
        }
        return false;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
