using DmaSlip.Models.Features;
using DmaSlip.Models.Pipeline;

namespace DmaSlip.Models.Tests.Synthetic;

/// <summary>What a synthetic day contains.</summary>
internal enum SyntheticScenario
{
    Calm,
    Storm,
    VenueShock,
}

/// <summary>
/// A synthetic trading day with a KNOWN planted IOMMU uplift, for developing and testing the models before the
/// simulator lands (and for the 1 M-row benchmark). Hosts h0–h3 in pool "a", h4–h7 in pool "b". In <c>Storm</c>,
/// pool "a" suffers a flush storm from 2 h to 3.5 h into the session: flush rate, invalidation and DMA latency,
/// NAPI variance and ack latency rise with storm intensity s ∈ [0, 1], and the true uplift is
/// δ = 2.5·s (dma jitter) + 1.5·s (service burst) + a queue-position loss through the lower passive fill ratio.
/// In <c>VenueShock</c>, every host's ack latency jumps for 40 minutes and IS rises by 3 bps — not IOMMU: δ = 0.
/// Baseline: IS = HS·(1 − 2π) + 0.5·(1 − π)·HS + 0.142·σ·P^0.6 + 0.5·M₁ + 0.3·M₂ + noise, π a logit of queue depth
/// and latency, M₁, M₂ ~ N(0, 6 bps) the market's moves over the two half-horizons (drawn from their own stream, so
/// the other draws do not depend on them).
/// </summary>
internal static class SyntheticDay
{
    public const long SessionNs = 23_400L * 1_000_000_000;
    public const long StormFromNs = 7_200L * 1_000_000_000;
    public const long StormToNs = 12_600L * 1_000_000_000;
    public const long ShockFromNs = 14_400L * 1_000_000_000;
    public const long ShockToNs = 16_800L * 1_000_000_000;

    internal sealed record Day(IReadOnlyList<ParentRecord> Parents, IReadOnlyDictionary<string, double> TrueUplift, IReadOnlyDictionary<string, bool> InStorm, IReadOnlyDictionary<string, bool> InShock);

    /// <summary>
    /// <paramref name="povShare"/> of the parents are "pov" instead of "twap" (drawn from their own stream, so the
    /// other draws do not change), and a POV parent's uplift is <paramref name="povUpliftFactor"/> of what the same
    /// storm costs a TWAP parent: a POV parent finishes early, so a delay costs it less (the simulator: ≈ half).
    /// <paramref name="upliftScale"/> multiplies every uplift without changing a host feature: a day whose symbols
    /// cost more per unit of delay than the fit's days did.
    /// </summary>
    public static Day Generate(SyntheticScenario scenario, int parents, int seed, double noiseBps = 4.0, long dayOffsetNs = 0,
        double povShare = 0, double povUpliftFactor = 0.5, double upliftScale = 1)
    {
        var rng = new Random(seed);
        var marketRng = new Random(unchecked(seed * 7919) ^ 0x5EED);
        var strategyRng = new Random(unchecked(seed * 104_729) ^ 0x57A7);
        var list = new List<ParentRecord>(parents);
        var truth = new Dictionary<string, double>(StringComparer.Ordinal);
        var inStorm = new Dictionary<string, bool>(StringComparer.Ordinal);
        var inShock = new Dictionary<string, bool>(StringComparer.Ordinal);
        var cols = OverlayFeatureSchema.Count;
        for (var n = 0; n < parents; n++)
        {
            var id = $"d{seed}-p{n:D6}";
            var hostIndex = rng.Next(8);
            var host = $"h{hostIndex}";
            var pool = hostIndex < 4 ? "a" : "b";
            var symbol = rng.Next(2) == 0 ? "IBM" : "BAC";
            var liquid = rng.NextDouble() < 0.6;
            var arrival = (long)(rng.NextDouble() * (SessionNs - 600_000_000_000L));
            var horizon = (long)((30 + (rng.NextDouble() * 270)) * 1e9);
            var segment = arrival < 1_800_000_000_000L ? "open" : arrival > SessionNs - 3_600_000_000_000L ? "close" : "mid";
            var hs = (liquid ? 1.5 : 5.0) * Math.Exp(0.3 * Normal(rng));
            var sigma = (segment == "open" ? 180 : 120) * Math.Exp(0.25 * Normal(rng));
            var participation = Math.Exp(Math.Log(0.03) + (0.8 * Normal(rng)));
            var qar = Math.Exp(Math.Log(3) + (0.7 * Normal(rng)));

            var s = scenario == SyntheticScenario.Storm && pool == "a" ? StormIntensity(arrival, horizon) : 0.0;
            var shock = scenario == SyntheticScenario.VenueShock && arrival + horizon > ShockFromNs && arrival < ShockToNs;
            var latency = 40 * Math.Exp(0.15 * Normal(rng)) * (1 + (3 * s)) + (shock ? 250 : 0);
            var calmLatency = 40.0;
            var piCalm = Logit(0.4 - (0.6 * Math.Log(1 + qar)) - (0.3 * calmLatency / 1000));
            var pi = Logit(0.4 - (0.6 * Math.Log(1 + qar)) - (0.3 * latency / 1000) - (1.2 * s));
            var fill = Math.Clamp(pi + (0.08 * Normal(rng)), 0, 1);
            var baseline = (hs * (1 - (2 * piCalm))) + (0.5 * (1 - piCalm) * hs) + (0.142 * sigma * Math.Pow(participation, 0.6));
            // Queue decay: the fill lost to pressure pays the spread twice plus the deadline premium.
            var queueLoss = (piCalm - Logit(0.4 - (0.6 * Math.Log(1 + qar)) - (0.3 * calmLatency / 1000) - (1.2 * s))) * hs * 2.5;
            var pov = povShare > 0 && strategyRng.NextDouble() < povShare;
            var delta = ((2.5 * s) + (1.5 * s) + queueLoss) * (pov ? povUpliftFactor : 1) * upliftScale;
            var venue = shock ? 3.0 : 0.0;
            var early = 6 * Normal(marketRng);
            var late = 6 * Normal(marketRng);
            var isBps = baseline + delta + venue + (0.5 * early) + (0.3 * late) + (noiseBps * Normal(rng));

            var f = new float[cols];
            Array.Fill(f, float.NaN);
            void Set(string name, double v) => f[OverlayFeatureSchema.IndexOf(name)] = (float)v;
            double Noisy(double v, double cv = 0.1) => v * Math.Exp(cv * Normal(rng));
            Set("flush_rate_mean", Noisy(800 * (1 + (25 * s))));
            Set("flush_rate_max", Noisy(1200 * (1 + (30 * s))));
            Set("flush_burst_q95_max", Noisy(4 * (1 + (8 * s))));
            Set("flush_burst_q99_max", Noisy(6 * (1 + (10 * s))));
            Set("map_rate_mean", Noisy(50_000 * (1 + s)));
            Set("unmap_rate_mean", Noisy(50_000 * (1 + s)));
            Set("inv_latency_q50_mean", Noisy(900 * (1 + (2 * s))));
            Set("inv_latency_q99_mean", Noisy(3000 * (1 + (12 * s))));
            Set("inv_latency_q99_max", Noisy(4000 * (1 + (15 * s))));
            Set("dma_latency_q50_mean", Noisy(2000 * (1 + s)));
            Set("dma_latency_q99_mean", Noisy(6000 * (1 + (6 * s))));
            Set("dma_latency_q99_max", Noisy(8000 * (1 + (8 * s))));
            Set("djs_mean", Noisy(2 * (1 + (3 * s))));
            Set("djs_max", Noisy(3 * (1 + (4 * s))));
            Set("numa_local_share_mean", 1.0);
            Set("d2s_p50_mean", Noisy(3000 * (1 + (0.5 * s))));
            Set("d2s_p99_mean", Noisy(9000 * (1 + (3 * s))));
            Set("d2s_p99_max", Noisy(12000 * (1 + (4 * s))));
            Set("ring_oscillation_mean", Noisy(0.1 * (1 + (4 * s))));
            Set("ring_oscillation_max", Noisy(0.2 * (1 + (4 * s))));
            Set("napi_poll_variance_mean", Noisy(25 * (1 + (10 * s))));
            Set("napi_poll_variance_max", Noisy(40 * (1 + (12 * s))));
            Set("napi_saturation_mean", Noisy(0.05 * (1 + (5 * s))));
            Set("pso_mean", Noisy(0.3 * (1 + (2 * s))));
            Set("pso_max", Noisy(0.5 * (1 + (2 * s))));
            Set("ingress_gap_variance_mean", Noisy(4 * (1 + (3 * s))));
            Set("burst_index_mean", Math.Clamp((-0.2 + (0.5 * s)) + (0.05 * Normal(rng)), -1, 1));
            Set("burst_index_max", Math.Clamp((0.0 + (0.6 * s)) + (0.05 * Normal(rng)), -1, 1));
            Set("phase_error_p95_mean", Noisy(5000 * (1 + (4 * s))));
            Set("phase_error_p95_max", Noisy(8000 * (1 + (5 * s))));
            // Ack drifts and latency carry the venue shock as well as the storm; the relativizer separates them.
            Set("cancel_ack_drift_rel", (20_000 * s) + (shock ? 250_000 : 0) + (3000 * Normal(rng)));
            Set("replace_ack_drift_rel", (25_000 * s) + (shock ? 250_000 : 0) + (3000 * Normal(rng)));
            Set("ack_latency_rel", latency);
            Set("passive_fill_rel", fill);
            Set("half_spread_bps", hs);
            Set("sigma_daily_bps", sigma);
            Set("log_participation", Math.Log(participation));
            Set("log_queue_ahead", Math.Log(1 + qar));
            Set("horizon_log_s", Math.Log(1 + (horizon / 1e9)));
            Set("sigma_life_bps", sigma * Math.Exp(0.2 * Normal(marketRng)));

            // Gross classical terms: any split that sums to IS (the identity is what is tested).
            var delay = (0.2 * isBps) + Normal(rng);
            var impact = 0.5 * isBps;
            var miss = isBps - delay - impact;
            list.Add(new ParentRecord(id, host, pool, pov ? "pov" : "twap", symbol, segment, liquid ? "liquid" : "illiquid", dayOffsetNs + arrival, dayOffsetNs + arrival + horizon,
                hs, sigma, participation, qar, latency, fill, early, late, isBps, delay, impact, miss, f));
            truth[id] = delta;
            inStorm[id] = s > 0;
            inShock[id] = shock;
        }
        CrossHostRelativizer.Apply(list.Select(p => p.Host).ToArray(), list.Select(p => p.ArrivalNs).ToArray(), list.Select(p => p.Features).ToArray(), 60_000_000_000L);
        return new Day(list, truth, inStorm, inShock);
    }

    /// <summary>Average storm intensity over the parent's life: ramps up over 10 min, holds, ramps down.</summary>
    private static double StormIntensity(long arrival, long horizon)
    {
        var mid = arrival + (horizon / 2);
        if (mid < StormFromNs || mid > StormToNs)
        {
            return 0;
        }
        var ramp = 600e9;
        return Math.Min(1, Math.Min((mid - StormFromNs) / ramp, (StormToNs - mid) / ramp));
    }

    private static double Logit(double z) => 1 / (1 + Math.Exp(-z));

    internal static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
