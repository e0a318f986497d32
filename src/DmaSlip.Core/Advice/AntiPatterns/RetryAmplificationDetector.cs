using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>
/// Hosts whose replaces/cancels/rejects per send in storms are at least <see cref="RetryPerSendFloor"/> and at least
/// <see cref="RetryAmplificationRatio"/> × calm: retries add packets exactly when service cadence oscillates.
/// </summary>
internal sealed class RetryAmplificationDetector : IAntiPatternDetector
{
    /// <summary>Retries per send in storms at least this multiple of calm, and at least <see cref="RetryPerSendFloor"/>.</summary>
    public const double RetryAmplificationRatio = 1.5;

    public const double RetryPerSendFloor = 0.3;

    public string Kind => AntiPatternKinds.RetryAmplification;

    public IEnumerable<Finding> Detect(AdviceInputs inputs)
    {
        foreach (var h in inputs.Hosts.Where(h => h.StormIntervals.Count > 0))
        {
            if (!inputs.Traffic.TryGetValue(h.Host, out var t))
            {
                continue;
            }
            var sendsIn = StormWindows.CountIn(t.Sends, h.StormIntervals);
            var retriesIn = StormWindows.CountIn(t.Retries, h.StormIntervals);
            var sendsOut = t.Sends.Length - sendsIn;
            var retriesOut = t.Retries.Length - retriesIn;
            if (sendsIn < StormWindows.MinSamples || sendsOut < StormWindows.MinSamples)
            {
                continue;
            }
            var rIn = retriesIn / (double)sendsIn;
            var rOut = retriesOut / (double)sendsOut;
            if (rIn >= RetryPerSendFloor && rIn >= RetryAmplificationRatio * rOut)
            {
                yield return new Finding(Kind, "medium", [h.Host],
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
}
