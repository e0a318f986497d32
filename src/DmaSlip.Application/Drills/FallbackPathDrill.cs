using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest;
using DmaSlip.Simulation;

namespace DmaSlip.Application.Drills;

/// <summary>
/// fallback-path (DESIGN §8): on the fleet scenario (storms on pool-b and pool-c, validated pool-safe), urgent flow
/// from a storming host must go through validated low-pressure hosts within 1 s of FLUSH_STORM, no order may be
/// lost or duplicated (checked on the FIX logs the simulator wrote), at most 2 route changes per storm, and the
/// host returns to normal routing after recovery without cutting its dwell short.
/// </summary>
internal sealed class FallbackPathDrill(RegimeControllerConfig config) : IDrill
{
    public static readonly long RerouteWithinNs = Time.NanosPerSecond;

    public string Name => "fallback-path";

    public string Description => "Storm + urgent flow: reroute to validated low-pressure pools within 1 s, 0 lost/duplicated orders, ≤ 2 route changes per storm, dwell-respecting return.";

    public DrillResult Run(DrillContext context)
    {
        var scenario = Scenarios.Fleet;
        var run = SimulatedRun.Run(scenario, context.Seed, config, context.WorkDir);
        var validatedPools = scenario.Pools.Where(p => p.Validated).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var validatedHosts = run.Result.Hosts.Where(h => validatedPools.Contains(h.Pool)).Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
        var home = run.Result.Parents.ToDictionary(p => p.Order.ParentId, p => p.Order.Host, StringComparer.Ordinal);
        // The simulator's FIX logs read through the ingest FIX parser, as a user's logs are (a file it cannot read fails the drill).
        var (fix, fixMessages) = ReadFix(Path.Combine(context.WorkDir, "fix"));
        var sends = fix.Where(m => m.Kind == OrderEventKind.Send).ToArray();

        // Order accounting on the wire: unique ClOrdIDs, every order answered, fills add up to the engine's totals.
        var duplicates = sends.Length - sends.Select(m => m.ClOrdId).Distinct(StringComparer.Ordinal).Count();
        var answered = fix.Where(m => m.Kind is OrderEventKind.Ack or OrderEventKind.ReplaceAck or OrderEventKind.CancelAck
            or OrderEventKind.Fill or OrderEventKind.Reject or OrderEventKind.Expire).Select(m => m.ClOrdId).ToHashSet(StringComparer.Ordinal);
        var lost = fix.Count(m => m.Kind is OrderEventKind.Send or OrderEventKind.Replace && !answered.Contains(m.ClOrdId));
        var filled = fix.Where(m => m.Kind == OrderEventKind.Fill).GroupBy(m => m.ParentId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Qty), StringComparer.Ordinal);
        var fillMismatches = run.Result.Parents.Count(p => filled.GetValueOrDefault(p.Order.ParentId) != p.ExecutedQty);

        long late = 0, rerouted = 0, toUnvalidated = 0, maxRouteChanges = 0, shortDwell = 0, notReturned = 0, storms = 0;
        var firstReroute = new List<double>();
        foreach (var trace in run.Provider.Traces.Values.Where(t => run.Result.StormPools.Contains(t.Pool)))
        {
            var changes = trace.Changes;
            for (var i = 0; i < changes.Count; i++)
            {
                if (!(changes[i].To == Regime.FlushStorm && changes[i].From == Regime.PressureWatch))
                {
                    continue;
                }
                storms++;
                var entry = changes[i].TsNs;
                var exitIdx = changes.FindIndex(i + 1, c => c.To < Regime.FlushStorm);
                var exit = exitIdx >= 0 ? changes[exitIdx].TsNs : long.MaxValue;
                if (exitIdx >= 0 && exit - entry < config.StormDwellNs)
                {
                    shortDwell++;
                }
                var mine = sends.Where(m => home.GetValueOrDefault(m.ParentId) == trace.Host && m.TsNs >= entry && m.TsNs < exit).ToArray();
                late += mine.Count(m => m.Host == trace.Host && m.TsNs >= entry + RerouteWithinNs);
                var away = mine.Where(m => m.Host != trace.Host).ToArray();
                rerouted += away.Length;
                toUnvalidated += away.Count(m => !validatedHosts.Contains(m.Host));
                if (away.Length > 0)
                {
                    firstReroute.Add((away.Min(m => m.TsNs) - entry) / (double)Time.NanosPerMilli);
                }
                // Route changes of this episode: routing preference changes from its entry to the next storm entry.
                var nextEntry = changes.FindIndex(i + 1, c => c.To == Regime.FlushStorm && c.From == Regime.PressureWatch);
                var episode = changes.Skip(i).Take((nextEntry < 0 ? changes.Count : nextEntry) - i);
                var routeChanges = episode.Count(c => config.PolicyFor(c.To).Routing != config.PolicyFor(c.From).Routing);
                maxRouteChanges = Math.Max(maxRouteChanges, routeChanges);
            }
            if (changes.Count > 0 && config.PolicyFor(changes[^1].To).Routing != RoutingPreference.Any)
            {
                notReturned++;
            }
        }
        var criteria = new[]
        {
            DrillCriterion.Check("storms_seen_by_controller", storms, CriterionOp.AtLeast, 1),
            DrillCriterion.Check("urgent_children_rerouted", rerouted, CriterionOp.Above, 0),
            DrillCriterion.Check("children_on_storm_host_after_1s", late, CriterionOp.AtMost, 0),
            DrillCriterion.Check("rerouted_to_unvalidated_hosts", toUnvalidated, CriterionOp.AtMost, 0),
            DrillCriterion.Check("orders_lost", lost, CriterionOp.AtMost, 0),
            DrillCriterion.Check("orders_duplicated", duplicates, CriterionOp.AtMost, 0),
            DrillCriterion.Check("parents_with_fill_mismatch", fillMismatches, CriterionOp.AtMost, 0),
            DrillCriterion.Check("max_route_changes_per_storm", maxRouteChanges, CriterionOp.AtMost, 2),
            DrillCriterion.Check("storm_exits_before_dwell", shortDwell, CriterionOp.AtMost, 0),
            DrillCriterion.Check("storm_hosts_not_returned", notReturned, CriterionOp.AtMost, 0),
        };
        var evidence = new Dictionary<string, object?>
        {
            ["scenario"] = scenario.Name,
            ["seed"] = context.Seed,
            ["storm_pools"] = run.Result.StormPools,
            ["validated_pools"] = validatedPools.ToArray(),
            ["fix_messages"] = fixMessages,
            ["sends"] = sends.Length,
            ["first_reroute_after_storm_ms"] = firstReroute.ToArray(),
            ["transitions"] = run.Provider.Traces.Values.OrderBy(t => t.Host, StringComparer.Ordinal)
                .SelectMany(t => t.Changes.Select(c => new { host = t.Host, ts_ns = c.TsNs, from = c.From.Name(), to = c.To.Name(), reason = c.Reason.ToString() })).ToArray(),
        };
        return DrillResult.Of(Name, criteria, evidence);
    }

    private static (IReadOnlyList<OrderEvent> Events, long Messages) ReadFix(string fixDir)
    {
        var sink = new MemorySink();
        var results = new Ingestor(sink, new IngestOptions { Format = Formats.Fix }, TimeProvider.System).Ingest([fixDir]);
        if (results.FirstOrDefault(r => r.Error is not null || r.Quarantined > 0) is { } bad)
        {
            throw new InvalidDataException($"{bad.Path}: {bad.Error ?? bad.Quarantined + " FIX message(s) quarantined"}");
        }
        return (sink.Rows<OrderEvent>().ToArray(), results.Sum(r => r.Records));
    }
}
