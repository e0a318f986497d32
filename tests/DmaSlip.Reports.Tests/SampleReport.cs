using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Reports.Model;

namespace DmaSlip.Reports.Tests;

/// <summary>A fixed small dataset covering every section: two pools, three hosts, a storm on one host.</summary>
internal static class SampleReport
{
    public static readonly long T0 = Time.FromDate(2013, 10, 7) + 14 * Time.NanosPerHour + 30 * Time.NanosPerMinute;

    public static ReportData Full() => new()
    {
        Meta = new ReportMeta("IOMMU slippage report", T0 + 2 * Time.NanosPerHour, T0, T0 + 10 * Time.NanosPerMinute, "sample.duckdb")
        {
            Hosts = 3,
            Pools = 2,
            Parents = 1200,
        },
        Is = new IsDecomposition(1200, 48_000_000, 55_200, 11.5, 2.1, 5.4, 1.2, 1.1, 0.9, 0.8, 1200),
        Iul = [new IulByPool("pool-a", 410, 1.3, 4.8), new IulByPool("pool-b", 120, 0.2, 0.9)],
        Regimes = [Timeline("tr-a1", "pool-a", storm: true), Timeline("tr-a2", "pool-a", storm: false), Timeline("tr-b1", "pool-b", storm: false)],
        Markouts =
        [
            new MarkoutRow(PressureBucket.High, 300, -0.8, -1.6, -2.9, -3.5),
            new MarkoutRow(PressureBucket.Calm, 700, -0.2, -0.4, -0.7, -0.9),
            new MarkoutRow(PressureBucket.Elevated, 200, -0.4, -0.9, -1.5, -1.9),
        ],
        FillRatios = [new FillRatioRow(PressureBucket.Calm, 700, 0.62), new FillRatioRow(PressureBucket.Elevated, 200, 0.51), new FillRatioRow(PressureBucket.High, 300, 0.34)],
        DeskMetrics =
        [
            new DeskMetricRow("pool", "pool-a", 71.5, 1.9, 0.42, 0.9, 1.3, 4.8, 12_000, 800),
            new DeskMetricRow("pool", "pool-b", 8.2, 0.4, 0.11, 0.1, 0.2, 0.9, 6_000, 400),
            new DeskMetricRow("nic", "mlx5_core 5.9", 55.0, 1.5, 0.35, 0.7, 1.0, 3.9, 12_000, 800),
            new DeskMetricRow("nic", "ice 1.12", 9.0, 0.5, 0.12, 0.1, 0.2, 0.8, 6_000, 400),
            new DeskMetricRow("numa", "local", 20.1, 0.6, 0.15, 0.2, 0.4, 1.5, 12_000, 900),
            new DeskMetricRow("numa", "remote", 66.0, 2.2, 0.44, 1.1, 1.6, 5.2, 6_000, 300),
            new DeskMetricRow("liquidity", "liquid", 40.0, 1.2, 0.3, 0.5, 0.7, 2.9, 18_000, 700),
            new DeskMetricRow("liquidity", "illiquid", 40.0, 1.2, 0.3, 1.2, 1.8, 6.1, 18_000, 500),
            new DeskMetricRow("session", "open", 52.0, 1.6, 0.38, 0.8, 1.2, 4.1, 6_000, 500),
            new DeskMetricRow("session", "midday", 30.0, 0.9, 0.2, 0.4, 0.6, 2.2, 12_000, 700),
        ],
        Drills =
        [
            new DrillResult("flush-burst-replay", true,
                [new DrillCriterion("pressure_watch_after_onset_ms", "180", "≤ 500", true), new DrillCriterion("before_p99_doubled", "true", "true", true)],
                [new("burst_onset", "2013-10-07T14:35:00.000Z"), new("p99_doubled_at_ms", "640")]),
            new DrillResult("storm-containment", false,
                [new DrillCriterion("q95_is_bounded_minus_panic_bps", "-0.40", "< 0", true), new DrillCriterion("ci95_excludes_zero", "false", "true", false)],
                [new("ci95_bps", "[-1.10, 0.05]"), new("pairs", "400")]),
        ],
        Advice = new AdviceReport(
            [
                new Mitigation(1, "Mapping churn reduction", "pool-a unmap rate 410k/s, page-pool recycling 22 %", 2.4, ["pool-a"]),
                new Mitigation(2, "NUMA/queue locality", "remote-node buffers 38 % on tr-a1, DJS 2.2 vs 0.6 local", 1.1, ["tr-a1"]),
            ],
            [
                new AntiPattern("average RTT normal while the tail is not", "tr-a1 mean ack 41 µs (calm 40 µs), p99 310 µs (calm 95 µs)", ["tr-a1"], "high"),
                new AntiPattern("IOMMU in passthrough without a recorded security review", "tr-b1 runs iommu=pt, no review on record", ["tr-b1"], "medium"),
            ]),
        Quality = new DataQuality(
            [
                new IngestFile("aa11", "/data/sim/tr-a1/trace.txt", "ftrace", "tr-a1", 120_000, 0, 2, T0 + Time.NanosPerHour),
                new IngestFile("bb22", "/data/sim/fix/orders.log", "fix", null, 40_000, 12, 0, T0 + Time.NanosPerHour),
                new IngestFile("cc33", "/data/lean/ibm/20131007_quote.zip", "lean-quote", null, 109_067, 0, 0, T0 + Time.NanosPerHour),
            ],
            [new TableCount("host_frames", 18_000), new TableCount("parent_outcomes", 1200), new TableCount("quarantine", 2)],
            [new QuarantineReason("unknown tracepoint format", 2, 1, "/data/sim/tr-a1/trace.txt", 88_123, "kworker/3:1-123 [003] .... 1.000: mystery: x=1")]),
    };

    /// <summary>The same report before any model, drill or advice exists: those sections must say so.</summary>
    public static ReportData Early() => Full() with
    {
        Is = Full().Is! with { CDmaJitterBps = null, CServiceBurstBps = null, CQueueDecayBps = null, ParentsWithIommu = 0 },
        Iul = null,
        Regimes = null,
        Markouts = null,
        FillRatios = [],
        DeskMetrics = null,
        Drills = null,
        Advice = null,
    };

    private static HostRegimeTimeline Timeline(string host, string pool, bool storm)
    {
        var end = T0 + 10 * Time.NanosPerMinute;
        var spans = new List<RegimeSpan> { new(T0, storm ? T0 + 3 * Time.NanosPerMinute : end, Regime.MapStable, "start") };
        if (storm)
        {
            spans.Add(new(T0 + 3 * Time.NanosPerMinute, T0 + 4 * Time.NanosPerMinute, Regime.PressureWatch, "dfi>=40"));
            spans.Add(new(T0 + 4 * Time.NanosPerMinute, T0 + 6 * Time.NanosPerMinute, Regime.FlushStorm, "dfi>=70 && djs>=1.5"));
            spans.Add(new(T0 + 6 * Time.NanosPerMinute, T0 + 7 * Time.NanosPerMinute, Regime.SafeDmaContain, "storm_recurrence>=2"));
            spans.Add(new(T0 + 7 * Time.NanosPerMinute, T0 + 8 * Time.NanosPerMinute, Regime.PressureWatch, "dfi<50 dwell 60s"));
            spans.Add(new(T0 + 8 * Time.NanosPerMinute, end, Regime.MapStable, "dfi<20 dwell 60s"));
        }
        var signals = new List<SignalPoint>();
        for (var i = 0; i <= 120; i++)
        {
            var t = T0 + i * 5 * Time.NanosPerSecond;
            var minute = i / 12.0;
            var bump = storm ? 85 * Math.Exp(-Math.Pow((minute - 5) / 1.3, 2)) : 0;
            var dfi = 6 + bump + 3 * Math.Sin(i * 0.7);
            var pso = 0.08 + (storm ? 0.35 * Math.Exp(-Math.Pow((minute - 5.2) / 1.5, 2)) : 0) + 0.02 * Math.Cos(i * 0.9);
            signals.Add(new SignalPoint(t, Math.Round(dfi, 2), Math.Round(pso, 4)));
        }
        return new HostRegimeTimeline(host, pool, T0, end, spans, signals);
    }
}
