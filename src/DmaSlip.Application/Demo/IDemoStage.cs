namespace DmaSlip.Application.Demo;

/// <summary>One stage of <c>dmaslip demo</c>. Stages run in <see cref="DemoPipeline"/> order on one shared context.</summary>
internal interface IDemoStage
{
    string Name { get; }

    /// <summary>Runs the stage and returns a one-line summary for the console.</summary>
    string Run(DemoContext context);
}
