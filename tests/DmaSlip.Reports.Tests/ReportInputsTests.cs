using DmaSlip.Reports.Model;

namespace DmaSlip.Reports.Tests;

public sealed class ReportInputsTests
{
    [Fact]
    public void Drills_are_read_from_the_drill_command_json()
    {
        var drills = ReportInputs.ReadDrills("""
            {"drills": [
              {"name": "flush-burst-replay", "passed": true,
               "criteria": [{"name": "watch_after_onset_ms", "value": 180.25, "threshold": "<= 500", "passed": true}],
               "evidence": {"onset_ns": 1381156200000000000, "note": "synthetic burst", "p99": [1.5, 3]}},
              {"name": "storm-containment", "passed": false,
               "criteria": [{"name": "ci_excludes_zero", "value": false, "threshold": true, "passed": false}], "evidence": null}
            ]}
            """);

        Assert.Equal(2, drills.Count);
        var first = drills[0];
        Assert.True(first.Passed);
        Assert.Equal(new DrillCriterion("watch_after_onset_ms", "180.2", "<= 500", true), first.Criteria.Single());
        Assert.Equal(["onset_ns", "note", "p99"], first.Evidence.Select(e => e.Key));
        Assert.Equal("[1.5, 3]", first.Evidence[2].Value);
        Assert.False(drills[1].Passed);
        Assert.Equal("false", drills[1].Criteria[0].Value);
        Assert.Empty(drills[1].Evidence);
    }

    [Fact]
    public void Advice_is_read_from_the_advise_command_json()
    {
        var advice = ReportInputs.ReadAdvice("""
            {"mitigations": [
              {"rank": 2, "kind": "numa_locality", "title": "NUMA/queue locality", "pools": ["pool-a"], "hosts": ["tr-a1"],
               "expected_gain_bps": 0.8, "gain_basis": "remote vs local IS", "evidence": ["remote share 38 %", "DJS 2.2 vs 0.6"]},
              {"rank": 1, "title": "Mapping churn reduction", "pools": ["pool-a"], "hosts": [], "expected_gain_bps": null, "evidence": "unmap 410k/s"}],
             "anti_patterns": [{"kind": "avg_rtt_only", "severity": "high", "hosts": ["tr-a1"], "message": "tail 3x calm", "evidence": {"p99_us": 310}}],
             "notes": []}
            """);

        Assert.Equal(2, advice.Mitigations.Count);
        var m = advice.Mitigations[0];
        Assert.Equal(2, m.Rank);
        Assert.Equal(["pool-a", "tr-a1"], m.Targets);
        Assert.Equal("remote share 38 %; DJS 2.2 vs 0.6; gain: remote vs local IS", m.Evidence);
        Assert.Null(advice.Mitigations[1].ExpectedGainBps);
        var a = Assert.Single(advice.AntiPatterns);
        Assert.Equal(("avg_rtt_only", "tail 3x calm (p99_us 310)", "high"), (a.Name, a.Finding, a.Severity));
        Assert.Equal(["tr-a1"], a.Targets);
    }

    [Fact]
    public void Broken_json_is_a_clear_format_error()
    {
        var ex = Assert.Throws<FormatException>(() => ReportInputs.ReadDrills("{\"drills\": [ {\"name\": "));
        Assert.Contains("drills JSON does not parse", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ReportInputs.ReadDrills("{\"other\": 1}"));
    }
}
