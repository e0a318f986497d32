using DmaSlip.Application.Control;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Application.Drills;

/// <summary>
/// A flush burst as a drill replays it: the host's frames, the burst's onset, and the host's decision-to-send p99 per
/// window (the tail the controller must beat).
/// </summary>
internal sealed record BurstRecording(string Source, string Host, long OnsetNs, IReadOnlyList<HostFrame> Frames,
    IReadOnlyList<(long TsNs, double P99Ns)> DecisionToSendP99);

/// <summary>
/// flush-burst-replay (DESIGN §8): a flush burst through the controller must reach PRESSURE_WATCH within 500 ms of
/// onset and before the host's decision-to-send p99 has doubled against its pre-burst level, with no watch raised
/// before the onset (calm noise must not trigger it). The frames run through the agent's pipeline (Core's
/// <see cref="HostSignalPipeline"/>, warm-up baseline), as <c>controller replay</c> and the fleet agent run them.
/// </summary>
internal sealed class FlushBurstReplayDrill(Func<DrillContext, BurstRecording> record, RegimeControllerConfig config) : IDrill
{
    public const double MaxWatchLatencyMs = 500;

    public string Name => "flush-burst-replay";

    public string Description => "A flush burst reaches PRESSURE_WATCH within 500 ms of onset and before decision-to-send p99 doubles.";

    public DrillResult Run(DrillContext context)
    {
        var rec = record(context);
        return Evaluate(rec, config);
    }

    internal static DrillResult Evaluate(BurstRecording rec, RegimeControllerConfig config)
    {
        var replay = ControllerReplay.Run(rec.Host, rec.Frames, config, BaselinePolicy.WarmUp(), static _ => 0);
        var falseWatches = replay.Transitions.Count(t => t.TsNs < rec.OnsetNs && t.To > t.From);
        var watch = replay.Transitions.FirstOrDefault(t => t.TsNs >= rec.OnsetNs && t.To == Regime.PressureWatch);
        var watchTs = watch?.TsNs ?? long.MaxValue;

        var before = rec.DecisionToSendP99.Where(p => p.TsNs <= rec.OnsetNs).Select(p => p.P99Ns).ToArray();
        var baseline = before.Length > 0 ? PairedBootstrap.Quantile(before, 0.5) : double.NaN;
        var doubled = rec.DecisionToSendP99.FirstOrDefault(p => p.TsNs > rec.OnsetNs && p.P99Ns >= 2 * baseline);
        var doubledTs = doubled.TsNs > 0 ? doubled.TsNs : (long?)null;
        var lastTs = replay.Updates > 0 ? replay.ToNs : rec.OnsetNs;

        var latencyMs = watch is null ? double.NaN : (watchTs - rec.OnsetNs) / (double)Time.NanosPerMilli;
        // If p99 never doubled, the lead is measured to the end of the recording (a lower bound, said in evidence).
        var leadMs = watch is null ? double.NaN : ((doubledTs ?? lastTs) - watchTs) / (double)Time.NanosPerMilli;
        var criteria = new[]
        {
            DrillCriterion.Check("watch_latency_ms", latencyMs, CriterionOp.AtMost, MaxWatchLatencyMs),
            DrillCriterion.Check("watch_lead_over_p99_doubling_ms", leadMs, CriterionOp.Above, 0),
            DrillCriterion.Check("escalations_before_onset", falseWatches, CriterionOp.AtMost, 0),
        };
        var evidence = new Dictionary<string, object?>
        {
            ["source"] = rec.Source,
            ["host"] = rec.Host,
            ["onset_ns"] = rec.OnsetNs,
            ["watch_ns"] = watch?.TsNs,
            ["watch_reason"] = watch?.Reason,
            ["decision_to_send_p99_baseline_ns"] = baseline,
            ["decision_to_send_p99_doubled_ns"] = doubledTs,
            ["p99_doubled_within_recording"] = doubledTs is not null,
            ["frames"] = replay.Updates,
            ["transitions"] = replay.Transitions.Select(t => new { ts_ns = t.TsNs, from = t.From.Name(), to = t.To.Name(), reason = t.Reason }).ToArray(),
        };
        return DrillResult.Of("flush-burst-replay", criteria, evidence);
    }

    /// <summary>
    /// The synthetic recording (no simulator needed): <see cref="SyntheticFrames"/> with a storm from minute 3 to 4 of
    /// a 6-minute series; decision-to-send p99 = 30 µs base + 0.75 × the invalidation-latency q99 (the send path spins
    /// behind an invalidation at the tail).
    /// </summary>
    public static BurstRecording Synthetic(DrillContext context)
    {
        var start = Time.FromDate(2026, 1, 5) + 14 * Time.NanosPerHour;
        var frames = SyntheticFrames.WithStorm("synthetic-host", start, minutes: 6, stormFromMin: 3, stormToMin: 4, seed: context.Seed);
        var rng = new Random(context.Seed ^ 0x5eed);
        var p99 = frames.Select(f => (f.WindowStartNs + f.WindowNs, 30_000 + rng.NextDouble() * 3000 + 0.75 * (f.InvLatencyQ99Ns ?? 0))).ToArray();
        return new BurstRecording("synthetic frame series (SyntheticFrames, seed " + context.Seed + ")", "synthetic-host",
            start + 3 * Time.NanosPerMinute, frames, p99);
    }
}
