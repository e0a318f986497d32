using DmaSlip.Application.Analysis;
using DmaSlip.Core.Features;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>Host frames from stored counter streams and trace events, exec frames from stored order events.</summary>
internal sealed class FeaturesStage : IDemoStage
{
    public string Name => "features";

    public string Run(DemoContext context)
    {
        var s = FeatureRunner.Run(context.Store, null, null, HostFrameOptions.Default, ExecFrameOptions.Default);
        var traceOnly = s.HostStreams > 0 ? $", {s.HostStreams} trace-only streams" : "";
        return $"{s.HostFramesAdded:N0} new host frames from counter streams and {s.HostEvents:N0} trace events{traceOnly}; {s.OrderEvents:N0} order events → {s.ExecFramesAdded:N0} new exec frames; host_frames now {context.Store.Count("host_frames"):N0}";
    }
}
