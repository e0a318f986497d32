using DmaSlip.Core.Advice;

namespace DmaSlip.Core.Tests.Advice;

/// <summary>The engine runs every rule and detector and ranks the mitigations (each rule has its own tests beside this).</summary>
public sealed class AdviceEngineTests
{
    private static AdviceInputs Scenario() => AdviceScenario.Inputs();

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
    public void Empty_inputs_give_notes_not_errors()
    {
        var report = AdviceEngine.Compute(new AdviceInputs([], [], new Dictionary<string, (long[], double[])>(), new Dictionary<string, (long[], long[])>(), null));
        Assert.Empty(report.Mitigations);
        Assert.Empty(report.AntiPatterns);
        Assert.Equal(2, report.Notes.Count);
    }
}
