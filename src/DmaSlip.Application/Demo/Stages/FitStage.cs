using DmaSlip.Application.Modeling;
using DmaSlip.Models.Overlay;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>Fits the slippage stack per pool and fills C_iommu in parent_outcomes (after "attribute").</summary>
internal sealed class FitStage : IDemoStage
{
    public string Name => "fit";

    public string Run(DemoContext context)
    {
        var s = FitRunner.Run(context.Store, Path.Combine(context.OutDir, "models"), false, DemoClock(context), new OverlayOptions());
        if (s.Models.Count == 0)
        {
            return $"no pool with at least {FitRunner.MinParentsPerPool} attributed parents (nothing simulated or ingested): no model, C_iommu stays null";
        }
        context.Fit = s;
        var truth = s.Truth is { } t ? FormattableString.Invariant(
            $"; truth: storm {t.StormTrueMeanBps:F3} bps vs model {t.StormModelMeanBps:F3} [{t.StormModelIntervalBps?[0]:F3}, {t.StormModelIntervalBps?[1]:F3}] (rel. error {t.MeanRelError:F3}), q95 coverage {t.Q95Coverage:F3}") : "";
        return FormattableString.Invariant($"{s.Models.Count} models, {s.Baseline.Parents:N0} parents; C_iommu {FitText.Iommu(s.CIommu)}{truth}");
    }

    // The demo is reproducible: its artifacts are stamped with the seed, not the wall clock.
    private static long DemoClock(DemoContext context) => context.Seed;
}
