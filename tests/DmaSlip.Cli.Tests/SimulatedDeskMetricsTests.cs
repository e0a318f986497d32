using DmaSlip.Application.Analysis;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Metrics;
using DmaSlip.Simulation;
using DmaSlip.Storage;

namespace DmaSlip.Cli.Tests;

/// <summary>
/// Acceptance of issue 5 on the simulator's scenarios: frames computed by the simulator with the Core
/// HostFrameEngine, parents and order events stored, attributed, then desk metrics by pool.
/// </summary>
public sealed class SimulatedDeskMetricsTests
{
    private static IReadOnlyList<MetricsRow> DeskMetricsOf(Scenario scenario, long seed)
    {
        var r = Simulator.Run(scenario, seed, new SimulationOptions { KeepFrames = true });
        using var store = DmaSlipStore.OpenInMemory();
        store.Insert(r.Hosts);
        store.Insert(r.Frames);
        store.Insert(r.Quotes());
        store.Insert(r.Parents.Select(p => p.Order));
        store.Insert(r.OrderEvents());
        AttributionRunner.Run(store, null, null, SessionSegments.UsEquities);
        return MetricsRunner.Run(store, [Dimension.Pool], null, null, SessionSegments.UsEquities);
    }

    [Fact]
    public void On_the_storm_scenario_the_storm_pool_scores_higher_dfi_djs_and_pso_than_the_calm_pool()
    {
        var rows = DeskMetricsOf(Scenarios.Storm.WithMinutes(20), 11);
        var storm = rows.Single(x => x.Group["pool"] == "pool-b");
        var calm = rows.Single(x => x.Group["pool"] == "pool-a");
        var detail = $"storm DFI {storm.Dfi:F1} DJS {storm.Djs:F3} PSO {storm.Pso:F3}; calm DFI {calm.Dfi:F1} DJS {calm.Djs:F3} PSO {calm.Pso:F3}";
        Assert.True(storm.Dfi > calm.Dfi, detail);
        Assert.True(calm.Dfi < 15, detail);
        Assert.True(storm.Djs > calm.Djs, detail);
        Assert.True(storm.Pso > calm.Pso, detail);
        Assert.True(storm.Parents > 0 && calm.Parents > 0);
    }

    [Fact]
    public void On_the_storm_scenario_dfi_djs_pso_and_rx_cadence_rise_in_storm_windows_of_the_storm_pool()
    {
        var r = Simulator.Run(Scenarios.Storm.WithMinutes(20), 11, new SimulationOptions { KeepFrames = true });
        var pools = r.Hosts.ToDictionary(h => h.Host, h => h.Pool);
        var stormStart = r.Scenario.SessionStartNs + 10 * DmaSlip.Core.Domain.Time.NanosPerMinute;
        var stormEnd = stormStart + 8 * DmaSlip.Core.Domain.Time.NanosPerMinute;
        var baselines = r.Frames.GroupBy(f => f.Host).ToDictionary(g => g.Key, g => HostBaseline.FromFrames(g.Key, g.ToList()));
        var inStorm = r.Frames.Where(f => pools[f.Host] == "pool-b" && f.WindowStartNs >= stormStart && f.WindowStartNs < stormEnd).ToList();
        var calmPool = r.Frames.Where(f => pools[f.Host] == "pool-a").ToList();
        Assert.True(inStorm.Average(f => DeskMetrics.Dfi(f, baselines[f.Host])!.Value) > 90);
        Assert.True(calmPool.Average(f => DeskMetrics.Dfi(f, baselines[f.Host])!.Value) < 15);
        Assert.True(inStorm.Average(f => f.RxCadenceCv!.Value) > 1.5 * calmPool.Average(f => f.RxCadenceCv!.Value));
        // In storm windows the DMA completion tail widens (stalls behind interrupts-off spins) and sends bunch.
        Assert.True(inStorm.Average(f => DeskMetrics.Djs(f)!.Value) > 3 * calmPool.Average(f => DeskMetrics.Djs(f)!.Value));
        Assert.True(inStorm.Average(f => DeskMetrics.Pso(f)!.Value) > 2 * calmPool.Average(f => DeskMetrics.Pso(f)!.Value));
    }

    [Fact]
    public void On_the_calm_scenario_dfi_stays_low_in_every_pool()
    {
        var rows = DeskMetricsOf(Scenarios.Calm.WithMinutes(10), 12);
        Assert.NotEmpty(rows);
        Assert.All(rows, x => Assert.True(x.Dfi < 15, $"{x.Group["pool"]}: DFI {x.Dfi:F1}"));
    }
}
