using DmaSlip.Core.Advice;

namespace DmaSlip.Core.Tests.Advice;

public sealed class PassthroughWithoutReviewDetectorTests
{
    [Fact]
    public void An_unreviewed_passthrough_host_is_flagged_and_a_reviewed_one_is_not()
    {
        var s = AdviceScenario.Inputs();
        Assert.Equal(["b1"], Assert.Single(new PassthroughWithoutReviewDetector().Detect(s)).Hosts);
        var reviewed = s with { Hosts = [.. s.Hosts.Select(h => h with { SecurityReview = "SR-2025-17" })] };
        Assert.Empty(new PassthroughWithoutReviewDetector().Detect(reviewed));
    }
}

public sealed class ChurnIgnoredDetectorTests
{
    [Fact]
    public void A_churning_host_with_repeated_storms_and_no_config_change_is_flagged()
    {
        var s = AdviceScenario.Inputs();
        var f = Assert.Single(new ChurnIgnoredDetector().Detect(s));
        Assert.Equal(["a1"], f.Hosts);
        Assert.Contains("3 flush storms at 5000 unmaps/s", f.Message, StringComparison.Ordinal);
        var changed = s with { Hosts = [.. s.Hosts.Select(h => h with { Fingerprints = 2 })] };
        Assert.Empty(new ChurnIgnoredDetector().Detect(changed));
    }
}

public sealed class AverageRttOnlyDetectorTests
{
    [Fact]
    public void A_normal_mean_over_a_tenfold_p99_is_flagged_with_its_numbers()
    {
        // Mean RTT 11.8 µs vs 10 (1.18×), p99 100 µs vs 10 (10×).
        var f = Assert.Single(new AverageRttOnlyDetector().Detect(AdviceScenario.Inputs()));
        Assert.Equal(11.8, (double)f.Evidence["mean_rtt_storm_us"]!, 9);
        Assert.Equal(100.0, (double)f.Evidence["p99_rtt_storm_us"]!, 9);
        Assert.Equal(100, f.Evidence["samples_storm"]);
    }

    [Fact]
    public void Too_few_samples_on_one_side_report_nothing()
    {
        var s = AdviceScenario.Inputs();
        var (ts, rtt) = s.RoundTrips["a1"];
        var few = s with { RoundTrips = new Dictionary<string, (long[], double[])> { ["a1"] = (ts[..119], rtt[..119]) } }; // 19 storm samples
        Assert.Empty(new AverageRttOnlyDetector().Detect(few));
    }
}

public sealed class RetryAmplificationDetectorTests
{
    [Fact]
    public void Retries_per_send_in_storms_five_times_calm_are_flagged()
    {
        // 20 retries / 40 sends in storms vs 4 / 40 calm.
        var f = Assert.Single(new RetryAmplificationDetector().Detect(AdviceScenario.Inputs()));
        Assert.Equal(0.5, (double)f.Evidence["retries_per_send_storm"]!, 9);
        Assert.Equal(0.1, (double)f.Evidence["retries_per_send_calm"]!, 9);
    }

    [Fact]
    public void Retries_below_the_per_send_floor_are_not()
    {
        var s = AdviceScenario.Inputs();
        var (sends, retries) = s.Traffic["a1"];
        var fewer = s with { Traffic = new Dictionary<string, (long[], long[])> { ["a1"] = (sends, retries[..15]) } }; // 11 of 40 in storms: 0.275
        Assert.Empty(new RetryAmplificationDetector().Detect(fewer));
    }
}
