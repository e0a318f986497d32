using DmaSlip.Core.Domain;
using static DmaSlip.Core.Advice.AdviceText;

namespace DmaSlip.Core.Advice;

/// <summary>Churning hosts (<see cref="UnmapChurn"/>) with at least two flush storms and no configuration change recorded.</summary>
internal sealed class ChurnIgnoredDetector : IAntiPatternDetector
{
    public string Kind => AntiPatternKinds.ChurnIgnored;

    public IEnumerable<Finding> Detect(AdviceInputs inputs)
    {
        foreach (var h in UnmapChurn.Hosts(inputs.Hosts).Where(h => h.Storms >= 2 && h.Fingerprints <= 1))
        {
            yield return new Finding(Kind, "high", [h.Host],
                F($"{h.Host} ({h.Pool}, {h.Mode.Name()}): {h.Storms} flush storms at {h.UnmapRate:0} unmaps/s (median per queue) and no config change recorded"),
                new Dictionary<string, object?>
                {
                    ["storms"] = h.Storms,
                    ["unmap_rate_per_s"] = Round(h.UnmapRate),
                    ["flush_rate_per_s"] = Round(h.FlushRate),
                    ["storm_time_share"] = Round(h.StormTimeShare),
                });
        }
    }
}
