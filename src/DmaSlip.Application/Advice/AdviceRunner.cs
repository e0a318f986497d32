using DmaSlip.Application.Control;
using DmaSlip.Core.Advice;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;

namespace DmaSlip.Application.Advice;

/// <summary><c>dmaslip advise</c>'s work: facts from the store into the advice engine. Reads only.</summary>
internal static class AdviceRunner
{
    internal static AdviceReport Run(DmaSlipStore store, string? configPath)
    {
        // Storm periods come from the controller's transitions. When none are stored but frames are, the controller
        // replays in memory (the agent's pipeline and warm-up) and the advice says so; nothing is written.
        IReadOnlyList<RegimeTransition>? replayed = null;
        string? note = null;
        if (store.Count("regime_transitions") == 0 && store.Count("host_frames") > 0)
        {
            var replays = ControllerRunner.Replay(store, null, ControllerConfigFile.LoadOrDefault(configPath), ReplayBaseline.Agent);
            replayed = [.. replays.SelectMany(r => r.Transitions)];
            note = $"regime_transitions is empty: storm periods come from an in-memory controller replay ({replays[0].Baseline}, "
                + $"{configPath ?? "default config"}), not stored; `dmaslip controller replay` stores them";
        }
        var models = store.Sql<ModelFacts>("SELECT model_id, data_to_ns, fingerprints FROM models ORDER BY created_ns DESC LIMIT 1");
        var model = models.Count > 0 ? models[0] : null;
        var inputs = new AdviceInputs(AdviceFactsLoader.Hosts(store, replayed), AdviceFactsLoader.Parents(store),
            AdviceFactsLoader.RoundTrips(store), AdviceFactsLoader.Traffic(store), model);
        var report = AdviceEngine.Compute(inputs);
        return note is null ? report : report with { Notes = [.. report.Notes, note] };
    }

    /// <summary>The JSON shape of <c>dmaslip advise --json</c> (and the demo's advice.json, which the report reads).</summary>
    internal static object Json(AdviceReport report) => new
    {
        mitigations = report.Mitigations.Select(m => new
        {
            rank = m.Rank,
            kind = m.Kind,
            title = m.Title,
            pools = m.Pools,
            hosts = m.Hosts,
            expected_gain_bps = m.ExpectedGainBps,
            gain_basis = m.GainBasis,
            evidence = m.Evidence,
        }),
        anti_patterns = report.AntiPatterns.Select(f => new { kind = f.Kind, severity = f.Severity, hosts = f.Hosts, message = f.Message, evidence = f.Evidence }),
        notes = report.Notes,
    };
}
