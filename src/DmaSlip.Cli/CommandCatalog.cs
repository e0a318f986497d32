using System.CommandLine;
using DmaSlip.Cli.Commands;

namespace DmaSlip.Cli;

/// <summary>The commands of <c>dmaslip</c>, in the order <c>--help</c> lists them. Each issue adds its command here.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return ExportCommand.Create();
        yield return ImportCommand.Create();
        yield return SimulateCommand.Create();
        yield return FeaturesCommand.Create();
        yield return AttributeCommand.Create();
        yield return MetricsCommand.Create();
        yield return FitCommand.Create();
        yield return ControllerCommand.Create();
        yield return DrillCommand.Create();
        yield return AdviseCommand.Create();
        yield return IngestCommand.Create();
        yield return CollectCommand.Create();
        yield return AgentCommand.Create();
        yield return ServeCommand.Create();
        yield return ReportCommand.Create();
        yield return SqlCommand.Create();
    }
}
