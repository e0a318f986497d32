using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests;

public sealed class FitCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("fit.duckdb");

    [Fact]
    public void Fit_fills_c_iommu_keeps_the_is_identity_and_reports_against_truth_and_if_stale_refits_only_changed_pools()
    {
        using (var store = DmaSlipStore.Open(Db))
        {
            FitDatabase.Fill(store);
        }
        var (exit, stdout, stderr) = CliRunner.Run("fit", "--db", Db, "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("overlay").GetProperty("mean").GetProperty("rmse").GetDouble() > 0);
        Assert.InRange(root.GetProperty("overlay").GetProperty("q95").GetProperty("coverage").GetDouble(), 0.8, 1.0);
        Assert.True(root.GetProperty("matching").GetProperty("strata").GetInt32() >= 1);
        var pooled = root.GetProperty("baseline").GetProperty("buckets").EnumerateArray().First(b => b.GetProperty("bucket").GetString() == "pooled");
        Assert.True(double.IsFinite(pooled.GetProperty("early_move_weight").GetDouble()));
        Assert.True(double.IsFinite(pooled.GetProperty("late_move_weight").GetDouble()));
        Assert.InRange(root.GetProperty("matching").GetProperty("matched_share").GetDouble(), 0, 1);
        var truth = root.GetProperty("truth");
        Assert.InRange(truth.GetProperty("mean_rel_error").GetDouble(), 0, 0.35);
        Assert.InRange(truth.GetProperty("q95_coverage").GetDouble(), 0.85, 1.0);
        Assert.Equal(2, root.GetProperty("models").GetArrayLength());
        Assert.Empty(root.GetProperty("stale").EnumerateArray());

        using (var store = DmaSlipStore.Open(Db))
        {
            var rows = store.Query<ParentOutcome>().ToList();
            Assert.All(rows, o =>
            {
                Assert.NotNull(o.CIommuBps);
                Assert.NotNull(o.BaselineIsBps);
                Assert.Equal(o.IsBps, o.CDelayBps + o.CImpactBps + o.CMissBps + o.CIommuBps!.Value, 9);
                Assert.Equal(o.CIommuBps!.Value, o.CDmaJitterBps!.Value + o.CServiceBurstBps!.Value + o.CQueueDecayBps!.Value, 9);
            });
            Assert.Equal(2, store.Count("models"));
            // h0 moves to another kernel: its pool's model is now stale.
            store.Insert([new HostInfo("h0", "a", "eth0", "ConnectX-6", "mlx5_core", "24.10", "6.11.0", IommuMode.Lazy, 0, 0, "fp-h0-2", FitDatabase.T0 + 1, null)]);
        }
        var before = Snapshot();
        (exit, stdout, stderr) = CliRunner.Run("fit", "--db", Db, "--json", "--if-stale");
        Assert.True(exit == 0, stderr);
        using var second = JsonDocument.Parse(stdout);
        var models = second.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("scope").GetString()!, m => m);
        Assert.True(models["a"].GetProperty("refit").GetBoolean());
        Assert.Equal(2, models["a"].GetProperty("version").GetInt32());
        Assert.False(models["b"].GetProperty("refit").GetBoolean());
        var stale = Assert.Single(second.RootElement.GetProperty("stale").EnumerateArray());
        Assert.Contains("kernel 6.8.0 → 6.11.0", stale.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        // Pool b was not refit, so its parents' estimates are exactly what the reused model gives again; the gross
        // terms are recovered before netting, so a second pass does not net twice.
        var after = Snapshot();
        foreach (var (id, row) in before.Where(b => b.Value.Pool == "b"))
        {
            Assert.Equal(row.CIommuBps!.Value, after[id].CIommuBps!.Value, 9);
            Assert.Equal(row.CDelayBps, after[id].CDelayBps, 9);
        }
        Assert.All(after.Values, o => Assert.Equal(o.IsBps, o.CDelayBps + o.CImpactBps + o.CMissBps + o.CIommuBps!.Value, 9));
    }

    [Fact]
    public void Fit_from_applies_another_days_models_without_refitting_or_storing_them()
    {
        var models = _dir.File("models-day1");
        using (var store = DmaSlipStore.Open(Db))
        {
            FitDatabase.Fill(store);
        }
        var (exit, _, stderr) = CliRunner.Run("fit", "--db", Db, "--models", models, "--json");
        Assert.True(exit == 0, stderr);
        var day2 = _dir.File("day2.duckdb");
        using (var store = DmaSlipStore.Open(day2))
        {
            FitDatabase.Fill(store, seed: 6);
        }
        (exit, var stdout, stderr) = CliRunner.Run("fit", "--db", day2, "--from", models, "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var used = json.RootElement.GetProperty("models").EnumerateArray().ToArray();
        Assert.Equal(2, used.Length);
        Assert.All(used, m =>
        {
            Assert.False(m.GetProperty("refit").GetBoolean());
            Assert.StartsWith(models, m.GetProperty("path").GetString(), StringComparison.Ordinal);
        });
        // Held-out scoring still reports against the second day's truth.
        Assert.True(json.RootElement.GetProperty("truth").GetProperty("parents").GetInt32() > 0);
        using (var store = DmaSlipStore.Open(day2))
        {
            Assert.Equal(0, store.Count("models"));
            Assert.All(store.Query<ParentOutcome>(), o => Assert.NotNull(o.CIommuBps));
        }
        (exit, _, stderr) = CliRunner.Run("fit", "--db", day2, "--from", _dir.File("no-such-folder"));
        Assert.NotEqual(0, exit);
        Assert.Contains("no-such-folder", stderr, StringComparison.Ordinal);
    }

    private Dictionary<string, ParentOutcome> Snapshot()
    {
        using var store = DmaSlipStore.Open(Db);
        return store.Query<ParentOutcome>().ToDictionary(o => o.ParentId, StringComparer.Ordinal);
    }
}
