using DmaSlip.Application.Analysis;
using DmaSlip.Core.Attribution;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>IS decomposition per parent order into parent_outcomes.</summary>
internal sealed class AttributeStage : IDemoStage
{
    public string Name => "attribute";

    public string Run(DemoContext context)
    {
        var s = AttributionRunner.Run(context.Store, null, null, SessionSegments.UsEquities);
        var branches = string.Join(", ", s.Branches.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key} {b.Value}"));
        return $"{s.Attributed:N0} parents attributed ({s.Added:N0} new rows){(branches.Length > 0 ? ": " + branches : "")}";
    }
}
