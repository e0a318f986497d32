using System.Globalization;
using DmaSlip.Application.Analysis;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Application.Demo.Stages;

/// <summary>Desk metrics by pool, written to metrics_by_pool.json in the demo folder.</summary>
internal sealed class MetricsStage : IDemoStage
{
    public string Name => "metrics";

    public string Run(DemoContext context)
    {
        var rows = MetricsRunner.Run(context.Store, [Dimension.Pool], null, null, SessionSegments.UsEquities);
        var path = Path.Combine(context.OutDir, "metrics_by_pool.json");
        File.WriteAllText(path, JsonFormat.Serialize(rows));
        if (rows.Count == 0)
        {
            return "no host frames or parent outcomes yet (nothing simulated or ingested)";
        }
        return string.Join("; ", rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Group["pool"]}: DFI {(r.Dfi is { } dfi ? dfi.ToString("F1", CultureInfo.InvariantCulture) : "–")} DJS {(r.Djs is { } djs ? djs.ToString("F2", CultureInfo.InvariantCulture) : "– (no dmar_perf_latency)")} PSO {(r.Pso is { } pso ? pso.ToString("F2", CultureInfo.InvariantCulture) : "–")} IUL {(r.IulMeanBps is { } iul ? iul.ToString("F2", CultureInfo.InvariantCulture) + " bps" : "– (no pressure parents)")}"))) + $" → {path}";
    }
}
