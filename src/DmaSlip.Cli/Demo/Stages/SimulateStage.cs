using DmaSlip.Cli.Commands;
using DmaSlip.Simulation;

namespace DmaSlip.Cli.Demo.Stages;

/// <summary>
/// Simulates the demo's hosts and order flow (the storm scenario, shortened) into <c>OUT/sim</c>. Until the ingest
/// stage reads that folder, this stage also loads hosts, frames, market, parents, order events and truth straight
/// into the store so later stages have data (the integrator drops that part once ingest is wired in after it).
/// </summary>
internal sealed class SimulateStage : IDemoStage
{
    public string Name => "simulate";

    public string Run(DemoContext context)
    {
        var dir = Path.Combine(context.OutDir, "sim");
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
        var r = SimulateCommand.Run("storm", context.Seed, dir, hosts: 4, minutes: 20, FixedPolicyProvider.Panic, keepFrames: true);
        context.SimulationDir = dir;
        var store = context.Store;
        store.Insert(r.Hosts);
        store.Insert(r.Frames);
        store.Insert(r.Quotes());
        store.Insert(r.Trades());
        store.Insert(r.Parents.Select(p => p.Order));
        store.Insert(r.OrderEvents());
        store.Insert(r.TruthParents);
        store.Insert(r.TruthWindows());
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        var uplift = storm.Length == 0 ? 0 : storm.Average(p => p.DeltaIsBps);
        return $"{r.Hosts.Count} hosts, {r.Parents.Count} parents ({storm.Length} in storm, true uplift {uplift:0.000} bps), {r.Files.Count} files in {dir}";
    }
}
