using DmaSlip.Application.Advice;
using DmaSlip.Core.Domain;

namespace DmaSlip.Cli.Tests.Advice;

public sealed class AdviceEngineTests
{
    private static readonly (long, long)[] A1Storm = [(1000, 2000)];

    private static HostFacts Host(string host, string pool, IommuMode mode, double unmap, int storms, double stormShare,
        (long, long)[] intervals, string? review = "SEC-1", int nicNuma = 0, int cpuNuma = 0, int fingerprints = 1) =>
        new(host, pool, mode, nicNuma, cpuNuma, fingerprints, 0, review, 1000, unmap, unmap, unmap / 10, 1.0, 1.2, storms, stormShare, intervals);

    private static AdviceInputs Scenario()
    {
        var hosts = new[]
        {
            Host("a1", "A", IommuMode.Strict, 5000, 3, 0.2, A1Storm),
            Host("a2", "A", IommuMode.Strict, 1000, 0, 0, []),
            Host("b1", "B", IommuMode.Passthrough, 0, 0, 0, [], review: null),
        };
        var parents = new List<ParentFacts>();
        parents.Add(new("p1", "a1", "A", 30, null, "storm", "high"));
        parents.Add(new("p2", "a1", "A", 30, null, "storm", "high"));
        parents.Add(new("p3", "a1", "A", 10, null, "calm", "normal"));
        parents.Add(new("p4", "a1", "A", 10, null, "calm", "normal"));
        for (var i = 0; i < 4; i++)
        {
            parents.Add(new($"q{i}", "a2", "A", 10, null, "calm", "normal"));
        }
        // Round trips on a1: 100 calm sends at 10 µs; 100 storm sends at 10 µs but two at 100 µs.
        var ts = new List<long>();
        var rtt = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            ts.Add(100 + i);
            rtt.Add(10_000);
        }
        for (var i = 0; i < 100; i++)
        {
            ts.Add(1000 + i);
            rtt.Add(i < 2 ? 100_000 : 10_000);
        }
        var sends = Enumerable.Range(0, 40).Select(i => 100L + i).Concat(Enumerable.Range(0, 40).Select(i => 1000L + i)).ToArray();
        var retries = Enumerable.Range(0, 4).Select(i => 200L + i).Concat(Enumerable.Range(0, 20).Select(i => 1100L + i)).ToArray();
        return new AdviceInputs(hosts, parents,
            new Dictionary<string, (long[], double[])> { ["a1"] = (ts.ToArray(), rtt.ToArray()) },
            new Dictionary<string, (long[], long[])> { ["a1"] = (sends, retries) }, null);
    }

    [Fact]
    public void Pool_uplift_is_the_pressure_minus_calm_difference_times_the_pressure_share()
    {
        // Pool A: 2 of 8 parents under pressure at 30 bps, calm ones at 10 bps: (30 − 10) × 2/8 = 5 bps per parent.
        Assert.Equal(5, AdviceEngine.PoolUplift(Scenario().Parents)!.Value, 12);
        Assert.Equal(5, AdviceEngine.PoolTailExcess(Scenario().Parents)!.Value, 12);
    }

    [Fact]
    public void Mitigations_are_ranked_by_expected_gain_with_hand_computed_values()
    {
        var report = AdviceEngine.Compute(Scenario());
        var m = report.Mitigations;
        Assert.Equal([MitigationKinds.BurstContainment, MitigationKinds.ChurnReduction, MitigationKinds.Routing], m.Select(x => x.Kind).ToArray());
        Assert.Equal(5, m[0].ExpectedGainBps!.Value, 12); // tail excess
        Assert.Equal(2.5, m[1].ExpectedGainBps!.Value, 12); // 5 bps × 4/8 parents on the churning host
        Assert.Equal(1.25, m[2].ExpectedGainBps!.Value, 12); // 5 bps × 2/8 urgent parents
        Assert.Equal(["a1"], m[1].Hosts);
        Assert.Equal(["A", "B"], m[2].Pools); // from A to the low-pressure pool B
        Assert.Equal([1, 2, 3], m.Select(x => x.Rank).ToArray());
    }

    [Fact]
    public void Anti_patterns_name_the_hosts_and_numbers()
    {
        var f = AdviceEngine.Compute(Scenario()).AntiPatterns.ToDictionary(x => x.Kind);
        Assert.Equal(["b1"], f[AntiPatternKinds.PassthroughUnreviewed].Hosts);
        Assert.Equal(["a1"], f[AntiPatternKinds.ChurnIgnored].Hosts);
        Assert.Contains("3 flush storms at 5000 unmaps/s", f[AntiPatternKinds.ChurnIgnored].Message, StringComparison.Ordinal);
        // Mean RTT 11.8 µs vs 10 (1.18×), p99 100 µs vs 10 (10×).
        var rtt = f[AntiPatternKinds.AverageRttOnly];
        Assert.Equal(11.8, (double)rtt.Evidence["mean_rtt_storm_us"]!, 9);
        Assert.Equal(100.0, (double)rtt.Evidence["p99_rtt_storm_us"]!, 9);
        // 20 retries / 40 sends in storms vs 4 / 40 calm.
        var retry = f[AntiPatternKinds.RetryAmplification];
        Assert.Equal(0.5, (double)retry.Evidence["retries_per_send_storm"]!, 9);
        Assert.Equal(0.1, (double)retry.Evidence["retries_per_send_calm"]!, 9);
    }

    [Fact]
    public void A_reviewed_passthrough_host_and_a_config_change_are_not_flagged_as_such()
    {
        var s = Scenario();
        var hosts = s.Hosts.Select(h => h.Host == "b1" ? h with { SecurityReview = "SR-2025-17" } : h.Host == "a1" ? h with { Fingerprints = 2, LastConfigChangeNs = 5 } : h).ToArray();
        var report = AdviceEngine.Compute(s with { Hosts = hosts });
        Assert.DoesNotContain(report.AntiPatterns, f => f.Kind is AntiPatternKinds.PassthroughUnreviewed or AntiPatternKinds.ChurnIgnored);
        // The config change without a model after it asks for recalibration, unpriced and ranked last.
        Assert.Equal(MitigationKinds.Recalibration, report.Mitigations[^1].Kind);
        Assert.Null(report.Mitigations[^1].ExpectedGainBps);
    }

    [Fact]
    public void Model_estimates_replace_the_pressure_difference_when_present()
    {
        var s = Scenario();
        var parents = s.Parents.Select(p => p with { CIommuBps = p.PressureBucket == "storm" ? 8 : 0 }).ToArray();
        Assert.Equal(2, AdviceEngine.PoolUplift(parents)!.Value, 12); // (8 + 8) / 8
    }

    [Fact]
    public void Empty_inputs_give_notes_not_errors()
    {
        var report = AdviceEngine.Compute(new AdviceInputs([], [], new Dictionary<string, (long[], double[])>(), new Dictionary<string, (long[], long[])>(), null));
        Assert.Empty(report.Mitigations);
        Assert.Empty(report.AntiPatterns);
        Assert.Equal(2, report.Notes.Count);
    }
}
