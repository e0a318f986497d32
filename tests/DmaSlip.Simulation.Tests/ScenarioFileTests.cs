namespace DmaSlip.Simulation.Tests;

public sealed class ScenarioFileTests
{
    [Fact]
    public void Yaml_file_overrides_a_built_in_base()
    {
        var s = ScenarioFile.Parse("""
            base: storm
            minutes: 60
            pools:
              - { name: pool-a, hosts: 3, iommu_mode: lazy }
              - { name: pool-b, hosts: 4, iommu_mode: strict, page_pool_recycle: 0.95 }
            storms:
              - { pool: pool-b, start_minute: 20, duration_minutes: 10, churn_share: 0.9 }
            execution:
              parents: 50
            """, "yaml");
        Assert.Equal(60, s.Minutes);
        Assert.Equal(7, s.HostCount);
        Assert.Equal(0.95, s.Pools[1].PagePoolRecycle);
        Assert.Equal(0.9, s.Storms[0].ChurnShare);
        Assert.Equal(50, s.Execution.Parents);
        Assert.Equal(Scenarios.Storm.Execution.SliceSeconds, s.Execution.SliceSeconds); // untouched keys keep the base
    }

    [Fact]
    public void Scenario_json_written_by_a_run_reads_back_equal()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new { scenario = Scenarios.Fleet, seed = 3 }, Output.OutputWriter.Json);
        var s = ScenarioFile.Parse(json, "json");
        Assert.Equal(Scenarios.Fleet.Pools, s.Pools);
        Assert.Equal(Scenarios.Fleet.Storms, s.Storms);
        Assert.Equal(Scenarios.Fleet.Execution, s.Execution);
        Assert.Equal(Scenarios.Fleet.Physics, s.Physics);
    }

    [Fact]
    public void Invalid_values_and_unknown_keys_are_reported_by_name()
    {
        var bad = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("""
            pools:
              - { name: p, hosts: 0, iommu_mode: sideways }
            storms:
              - { pool: nowhere }
            """, "yaml"));
        Assert.Contains(bad.Errors, e => e.Contains("hosts must be in [1, 256]", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("iommu_mode must be strict, lazy or passthrough", StringComparison.Ordinal));
        Assert.Contains(bad.Errors, e => e.Contains("pool 'nowhere'", StringComparison.Ordinal));
        var unknown = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("{\"minutes\": 5, \"colour\": \"red\"}", "json"));
        Assert.Contains("colour", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ScenarioException>(() => ScenarioFile.Parse("minutes: [1", "yaml"));
    }

    [Theory]
    [InlineData(".nan")]
    [InlineData("-.inf")]
    [InlineData("1e400")]
    public void A_yaml_nan_or_infinity_is_refused_with_its_line_not_read_as_a_string(string value)
    {
        var bad = Assert.Throws<ScenarioException>(() => ScenarioFile.Parse($"minutes: 5\nexecution:\n  seed_offset: {value}\n", "yaml"));
        Assert.Contains($"'{value}' is not a finite number", bad.Message, StringComparison.Ordinal);
        Assert.Contains("not valid YAML at line 3, column 16", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_override_keeps_every_pool_and_the_total()
    {
        var s = Scenarios.Fleet.WithHosts(9);
        Assert.Equal(9, s.HostCount);
        Assert.All(s.Pools, p => Assert.True(p.Hosts >= 1));
        Assert.Throws<ScenarioException>(() => Scenarios.Fleet.WithHosts(3));
    }

    [Fact]
    public void Every_built_in_scenario_is_valid()
    {
        foreach (var name in Scenarios.Names)
        {
            Assert.True(Scenarios.TryGet(name, out var s), name);
            Assert.Empty(s.Validate());
        }
    }
}
