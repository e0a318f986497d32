using DmaSlip.Application.Analysis;
using DmaSlip.Application.Modeling;
using DmaSlip.Core.Attribution;
using DmaSlip.Models.Overlay;
using DmaSlip.Models.Uncertainty;

namespace DmaSlip.Application.Drills;

/// <summary>An attribution of one simulated day as a drill judges it: the mean C_iommu, with its 95 % interval, over any subset of the day's parents.</summary>
internal interface IAttributedDay
{
    /// <summary>What produced the estimates (evidence).</summary>
    string Source { get; }

    /// <summary>The mean C_iommu (bps) and 95 % interval over the parents <paramref name="member"/> selects by id; null when none was attributed.</summary>
    IommuInterval? MeanOver(Func<string, bool> member);
}

/// <summary>Attributes a simulated day (its in-memory run and the real-format folder it wrote, truth/ included).</summary>
internal interface IDayAttributor
{
    IAttributedDay Attribute(SimulatedRun run, string folder, string workDir);
}

/// <summary>
/// The product's own attribution, as <c>dmaslip fit</c> computes it on a user's data: the folder is ingested into a
/// scratch store, <c>features</c> builds the frames, <c>attribute</c> decomposes IS, and <see cref="FitRunner.Fit"/>
/// fits the slippage stack per pool (default <see cref="OverlayOptions"/>) and attributes C_iommu with its interval
/// (the overlay where it shows validation skill, else matched windows with their bootstrap; calm-hurdle parents 0).
/// </summary>
internal sealed class ShippedAttributor : IDayAttributor
{
    public static readonly ShippedAttributor Instance = new();

    public IAttributedDay Attribute(SimulatedRun run, string folder, string workDir)
    {
        Directory.CreateDirectory(workDir);
        using var store = ScratchStore.Ingested(folder, Path.Combine(workDir, "day.duckdb"));
        AttributionRunner.Run(store, null, null, SessionSegments.UsEquities);
        // Artifacts stamped with the simulated day's start, not the wall clock: the drill is reproducible.
        var fit = FitRunner.Fit(store, Path.Combine(workDir, "models"), false, run.Result.Parents.Min(p => p.Order.ArrivalTsNs), new OverlayOptions());
        return new FittedDay(fit);
    }

    private sealed class FittedDay(FitResult fit) : IAttributedDay
    {
        public string Source => $"dmaslip fit (ingest → features → attribute → fit), {fit.Summary.Models.Count} pool models, {fit.Summary.Baseline.Parents} parents";

        public IommuInterval? MeanOver(Func<string, bool> member) => fit.MeanOver(member);
    }
}
