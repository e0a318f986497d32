using DmaSlip.Models.Artifacts;
using DmaSlip.Models.Features;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Pipeline;
using DmaSlip.Models.Tests.Synthetic;
using DmaSlip.Testing;

namespace DmaSlip.Models.Tests.Artifacts;

public sealed class ModelArtifactTests
{
    private static HostConfig Config(string host, string kernel = "6.8.0", string driver = "mlx5_core", string version = "24.10", string mode = "lazy") =>
        new(host, "eth0", kernel, driver, version, mode, $"{kernel}|{driver}|{version}|{mode}");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_saved_model_loads_back_and_gives_identical_estimates(bool volatilityScaling)
    {
        var day = SyntheticDay.Generate(SyntheticScenario.Storm, 3000, 41, povShare: 0.3);
        var (model, report) = SlippageModel.Fit(day.Parents, new OverlayOptions { VolatilityScaling = volatilityScaling });
        Assert.Equal(["pov", "twap"], model.Strategies);
        // Scaling only when asked: the synthetic day's σ is 120–180 bps × lognormal, so its median lies in that range.
        if (volatilityScaling)
        {
            Assert.InRange(model.Overlay.SigmaReferenceBps, 100, 200);
        }
        else
        {
            Assert.True(double.IsNaN(model.Overlay.SigmaReferenceBps));
        }
        using var dir = new TempDir();
        var meta = new ModelMetadata(ModelMetadata.IdOf("a", 1), "a", 1, 5, 0, 10, report.Parents, [Config("h0")],
            OverlayFeatureSchema.Features.Select(f => f.Name).ToArray(), new Dictionary<string, double> { ["rmse"] = report.Overlay.Rmse });
        using (model)
        {
            ModelFiles.Save(dir.Path, model, meta);
            var (loaded, loadedMeta) = ModelFiles.Load(dir.Path);
            using (loaded)
            {
                Assert.Equal(meta.ModelId, loadedMeta.ModelId);
                Assert.Equal(meta.Hosts, loadedMeta.Hosts);
                Assert.Equal(model.Overlay.SigmaReferenceBps, loaded.Overlay.SigmaReferenceBps);
                Assert.Equal(model.Overlay.Q95Offset, loaded.Overlay.Q95Offset);
                Assert.Equal(model.Strategies, loaded.Strategies);
                var a = model.Apply(day.Parents);
                var b = loaded.Apply(day.Parents);
                Assert.Equal(a, b);
            }
        }
    }

    [Theory]
    [InlineData("kernel", "kernel 6.8.0 → 6.11.0")]
    [InlineData("driver", "driver mlx5_core → ice")]
    [InlineData("version", "driver version 24.10 → 25.01")]
    [InlineData("mode", "IOMMU mode lazy → strict")]
    public void A_change_of_kernel_driver_version_or_iommu_mode_marks_the_model_stale(string what, string expected)
    {
        var now = what switch
        {
            "kernel" => Config("h0", kernel: "6.11.0"),
            "driver" => Config("h0", driver: "ice"),
            "version" => Config("h0", version: "25.01"),
            _ => Config("h0", mode: "strict"),
        };
        var reasons = ModelStaleness.Reasons([Config("h0"), Config("h1")], [now, Config("h1")]);
        Assert.Equal([$"h0/eth0: {expected}"], reasons);
    }

    [Fact]
    public void An_unchanged_fleet_leaves_the_model_fresh_and_a_new_host_makes_it_stale()
    {
        Assert.Empty(ModelStaleness.Reasons([Config("h0")], [Config("h0")]));
        Assert.Equal(["h9/eth0: joined the scope after the fit"], ModelStaleness.Reasons([Config("h0")], [Config("h0"), Config("h9")]));
    }

    [Fact]
    public void Only_the_latest_inventory_row_of_a_host_counts_as_its_current_config()
    {
        var rows = new[]
        {
            new DmaSlip.Core.Domain.HostInfo("h0", "a", "eth0", "CX6", "mlx5_core", "24.10", "6.8.0", DmaSlip.Core.Domain.IommuMode.Lazy, 0, 0, "f1", 100, null),
            new DmaSlip.Core.Domain.HostInfo("h0", "a", "eth0", "CX6", "mlx5_core", "24.10", "6.8.0", DmaSlip.Core.Domain.IommuMode.Strict, 0, 0, "f2", 200, null),
        };
        var current = HostConfig.Current(rows);
        Assert.Equal("strict", Assert.Single(current).IommuMode);
    }
}
