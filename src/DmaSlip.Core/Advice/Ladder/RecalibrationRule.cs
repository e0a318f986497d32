namespace DmaSlip.Core.Advice;

/// <summary>
/// Rung 5: change-aware recalibration for hosts whose configuration fingerprint changed after the latest model's data
/// (or with no model at all). Not priced in bps: a stale model misprices every parent on these hosts until refit.
/// </summary>
internal sealed class RecalibrationRule : IMitigationRule
{
    public string Kind => MitigationKinds.Recalibration;

    public IEnumerable<Mitigation> Propose(AdviceInputs inputs)
    {
        var changed = inputs.Hosts.Where(h => h.Fingerprints > 1
            && (inputs.LatestModel is null || h.LastConfigChangeNs > inputs.LatestModel.DataToNs)).ToArray();
        if (changed.Length == 0)
        {
            yield break;
        }
        yield return new Mitigation(0, Kind,
            "Change-aware recalibration: refit the overlay for hosts whose kernel/NIC driver/IOMMU config changed after the model's data",
            [.. changed.Select(h => h.Pool).Distinct(StringComparer.Ordinal)], [.. changed.Select(h => h.Host)], null,
            "not priced in bps: a stale model misprices every parent on these hosts until refit",
            new Dictionary<string, object?>
            {
                ["config_changed_ns"] = changed.ToDictionary(h => h.Host, h => h.LastConfigChangeNs),
                ["model"] = inputs.LatestModel?.ModelId,
                ["model_data_to_ns"] = inputs.LatestModel?.DataToNs,
            });
    }
}
