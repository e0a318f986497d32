using DmaSlip.Testing;
using System.Text.Json;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests;

public sealed class AnalysisCommandTests
{
    [Fact]
    public void Features_attribute_and_metrics_rank_the_storm_pool_above_the_calm_pool()
    {
        using var dir = new TempDir();
        var db = dir.File("desk.duckdb");
        using (var store = DmaSlipStore.Open(db))
        {
            SyntheticDesk.Write(store);
        }

        var features = CliRunner.Run("features", "--db", db, "--json");
        Assert.True(features.Exit == 0, features.Err);
        using (var doc = JsonDocument.Parse(features.Out))
        {
            Assert.Equal(200, doc.RootElement.GetProperty("host_frames_added").GetInt64()); // 2 hosts × 10 s / 100 ms
            Assert.True(doc.RootElement.GetProperty("exec_frames_added").GetInt64() >= 20);
        }
        var again = CliRunner.Run("features", "--db", db, "--json");
        using (var doc = JsonDocument.Parse(again.Out))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("host_frames_added").GetInt64()); // idempotent
        }

        var attribute = CliRunner.Run("attribute", "--db", db, "--json");
        Assert.True(attribute.Exit == 0, attribute.Err);
        using (var store = DmaSlipStore.Open(db))
        {
            Assert.Equal(20, store.Count("parent_outcomes"));
            var nonNullIommu = store.Sql("SELECT count(*) FROM parent_outcomes WHERE c_iommu_bps IS NOT NULL OR c_dma_jitter_bps IS NOT NULL").Rows[0][0];
            Assert.Equal(0L, Convert.ToInt64(nonNullIommu, System.Globalization.CultureInfo.InvariantCulture));
            var storms = store.Sql("SELECT count(*) FROM parent_outcomes WHERE pool = 'storm' AND pressure_bucket = 'storm'").Rows[0][0];
            Assert.True(Convert.ToInt64(storms, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        }

        var metrics = CliRunner.Run("metrics", "--db", db, "--by", "pool,session", "--json");
        Assert.True(metrics.Exit == 0, metrics.Err);
        using var m = JsonDocument.Parse(metrics.Out);
        var rows = m.RootElement.EnumerateArray().ToList();
        var calm = rows.Single(r => r.GetProperty("group").GetProperty("pool").GetString() == "calm");
        var storm = rows.Single(r => r.GetProperty("group").GetProperty("pool").GetString() == "storm");
        Assert.Equal("morning", storm.GetProperty("group").GetProperty("session").GetString());
        foreach (var name in new[] { "dfi", "djs", "pso" })
        {
            Assert.True(storm.GetProperty(name).GetDouble() > calm.GetProperty(name).GetDouble(), $"{name}: storm {storm.GetProperty(name)} vs calm {calm.GetProperty(name)}");
        }
        Assert.True(calm.GetProperty("dfi").GetDouble() < 20);
        Assert.True(storm.GetProperty("iul_mean_bps").GetDouble() > 0);
        Assert.True(storm.GetProperty("qdl_bps").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, calm.GetProperty("iul_mean_bps").ValueKind);
        Assert.Equal(100, storm.GetProperty("windows").GetInt64());
        Assert.Equal(10, storm.GetProperty("parents").GetInt64());

        var byLiquidity = CliRunner.Run("metrics", "--db", db, "--by", "pool,liquidity", "--json");
        using (var doc = JsonDocument.Parse(byLiquidity.Out))
        {
            var l = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, l.Count); // window metrics join the pool's "tight" row instead of a separate "*" row
            Assert.All(l, r => Assert.Equal(100, r.GetProperty("windows").GetInt64()));
            Assert.All(l, r => Assert.Equal("tight", r.GetProperty("group").GetProperty("liquidity").GetString()));
        }

        var table = CliRunner.Run("metrics", "--db", db, "--by", "pool,nic,numa,liquidity,session");
        Assert.Equal(0, table.Exit);
        Assert.True(table.Out.Contains("stor", StringComparison.Ordinal), table.Out);
    }

    [Fact]
    public void Metrics_rejects_an_unknown_dimension_with_a_usage_error()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("metrics", "--db", dir.File("x.duckdb"), "--by", "pool,venue");
        Assert.Equal(2, r.Exit);
        Assert.Contains("venue", r.Err, StringComparison.Ordinal);
    }
}
