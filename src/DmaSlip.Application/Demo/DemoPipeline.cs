using DmaSlip.Application.Demo.Stages;

namespace DmaSlip.Application.Demo;

/// <summary>The demo's stages in the order they run. Each issue wires its stage in here.</summary>
internal static class DemoPipeline
{
    /// <summary>
    /// Starts the work that needs no earlier stage, before the first stage runs: the drills (about 60 s of CPU on the
    /// demo's seed) run beside ingest and features, which use about one core, so the demo ends ~15 s sooner on 2
    /// cores than with the drills as a stage of their own (docs/PERFORMANCE.md).
    /// </summary>
    public static void StartBackground(DemoContext context) => DrillsStage.Start(context);

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
