using DmaSlip.Application.Demo.Stages;

namespace DmaSlip.Application.Demo;

/// <summary>The demo's stages in the order they run. Each issue wires its stage in here.</summary>
internal static class DemoPipeline
{
    public static IReadOnlyList<IDemoStage> Stages() =>
    [
        new SimulateStage(),
        new StoreStage(),
        new IngestStage(),
        new FeaturesStage(),
        new AttributeStage(),
        new FitStage(),
        new MetricsStage(),
        new ControllerStage(),
        new DrillsStage(),
        new AdviseStage(),
        new ExportStage(),
        new ReportStage(),
    ];
}
