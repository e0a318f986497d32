using DmaSlip.Application.Control;
using DmaSlip.Storage;

namespace DmaSlip.Application.Advice;

/// <summary><c>dmaslip advise</c>'s work: facts from the store into the advice engine.</summary>
internal static class AdviceRunner
{
    internal static AdviceReport Run(DmaSlipStore store, string? configPath)
    {
        // Storm periods come from the controller's transitions; replay once if frames exist but no replay was stored.
        if (store.Count("regime_transitions") == 0 && store.Count("host_frames") > 0)
        {
            ControllerRunner.Run(store, null, ControllerConfigFile.LoadOrDefault(configPath));
        }
        var model = store.Sql("SELECT model_id, data_to_ns, fingerprints FROM models ORDER BY created_ns DESC LIMIT 1").Rows
            .Select(r => new ModelFacts((string)r[0]!, AdviceFactsLoader.L(r[1]), (string)r[2]!)).FirstOrDefault();
        var inputs = new AdviceInputs(AdviceFactsLoader.Hosts(store), AdviceFactsLoader.Parents(store),
            AdviceFactsLoader.RoundTrips(store), AdviceFactsLoader.Traffic(store), model);
        return AdviceEngine.Compute(inputs);
    }
}
