using DmaSlip.Core.Advice;

namespace DmaSlip.Core.Tests.Advice;

public sealed class ChurnReductionRuleTests
{
    [Fact]
    public void Gain_is_the_pool_uplift_times_the_share_of_parents_on_churning_hosts()
    {
        var m = Assert.Single(new ChurnReductionRule().Propose(AdviceScenario.Inputs()));
        Assert.Equal(2.5, m.ExpectedGainBps!.Value, 12); // 5 bps × 4/8 parents on a1
        Assert.Equal(["a1"], m.Hosts);
        Assert.Equal(4, m.Evidence["parents_on_churning_hosts"]);
    }

    [Fact]
    public void No_churning_host_proposes_nothing()
    {
        var s = AdviceScenario.Inputs();
        Assert.Empty(new ChurnReductionRule().Propose(s with { Hosts = [.. s.Hosts.Select(h => h with { UnmapRate = 1000 })] }));
    }
}

public sealed class LocalityRuleTests
{
    [Fact]
    public void Gain_is_the_misplaced_hosts_excess_is_over_well_placed_peers_times_their_share()
    {
        var s = AdviceScenario.Inputs();
        Assert.Empty(new LocalityRule().Propose(s)); // every host has its NIC and CPUs on node 0, buffers local
        var misplaced = s with { Hosts = [.. s.Hosts.Select(h => h.Host == "a1" ? h with { NicNuma = 1 } : h)] };
        var m = Assert.Single(new LocalityRule().Propose(misplaced));
        // a1's parents average 20 bps, a2's 10: (20 − 10) × 4/8 = 5.
        Assert.Equal(5, m.ExpectedGainBps!.Value, 12);
        Assert.Equal(["a1"], m.Hosts);
    }

    [Fact]
    public void Buffers_below_the_local_share_floor_count_as_misplaced()
    {
        var s = AdviceScenario.Inputs();
        var remote = s with { Hosts = [.. s.Hosts.Select(h => h.Host == "a2" ? h with { NumaLocalShare = LocalityRule.LocalShareFloor - 0.01 } : h)] };
        var m = Assert.Single(new LocalityRule().Propose(remote));
        Assert.Equal(["a2"], m.Hosts);
        Assert.Equal(0, m.ExpectedGainBps!.Value, 12); // a2 does no worse than its peer: never a negative gain
    }
}

public sealed class BurstContainmentRuleTests
{
    [Fact]
    public void Gain_is_the_pools_tail_excess_under_pressure()
    {
        var m = Assert.Single(new BurstContainmentRule().Propose(AdviceScenario.Inputs()));
        Assert.Equal(5, m.ExpectedGainBps!.Value, 12);
        Assert.Equal(["A"], m.Pools);
        Assert.Equal(2, m.Evidence["parents_under_pressure"]);
    }

    [Fact]
    public void A_pool_without_storms_gets_none()
    {
        var s = AdviceScenario.Inputs();
        Assert.Empty(new BurstContainmentRule().Propose(s with { Hosts = [.. s.Hosts.Select(h => h with { Storms = 0 })] }));
    }
}

public sealed class RoutingRuleTests
{
    [Fact]
    public void Urgent_flow_moves_to_a_pool_with_under_half_the_storm_time()
    {
        var m = Assert.Single(new RoutingRule().Propose(AdviceScenario.Inputs()));
        Assert.Equal(1.25, m.ExpectedGainBps!.Value, 12); // 5 bps × 2/8 urgent parents
        Assert.Equal(["A", "B"], m.Pools);
    }

    [Fact]
    public void Without_a_calmer_pool_there_is_nowhere_to_route()
    {
        var s = AdviceScenario.Inputs();
        Assert.Empty(new RoutingRule().Propose(s with { Hosts = [.. s.Hosts.Select(h => h.Host == "b1" ? h with { StormTimeShare = 0.2 } : h)] }));
    }
}

public sealed class RecalibrationRuleTests
{
    [Fact]
    public void A_config_change_after_the_models_data_asks_for_an_unpriced_refit()
    {
        var s = AdviceScenario.Inputs();
        var changed = s with { Hosts = [.. s.Hosts.Select(h => h.Host == "a1" ? h with { Fingerprints = 2, LastConfigChangeNs = 5 } : h)] };
        var m = Assert.Single(new RecalibrationRule().Propose(changed));
        Assert.Null(m.ExpectedGainBps);
        Assert.Equal(["a1"], m.Hosts);
        Assert.Empty(new RecalibrationRule().Propose(changed with { LatestModel = new ModelFacts("m1", 5, "") }));
        Assert.Single(new RecalibrationRule().Propose(changed with { LatestModel = new ModelFacts("m1", 4, "") }));
    }
}
