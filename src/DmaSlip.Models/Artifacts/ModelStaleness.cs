namespace DmaSlip.Models.Artifacts;

/// <summary>
/// Change-aware recalibration (DESIGN §5): a model is stale when any host it was fitted for now runs another kernel,
/// NIC driver, driver version or IOMMU mode, when such a host has left its scope, or when a new host joined it.
/// </summary>
public static class ModelStaleness
{
    /// <summary>Why the model is stale; empty when it still matches the current configuration.</summary>
    public static IReadOnlyList<string> Reasons(IReadOnlyList<HostConfig> recorded, IReadOnlyList<HostConfig> current)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(current);
        var reasons = new List<string>();
        var now = current.ToDictionary(c => (c.Host, c.Device));
        foreach (var r in recorded)
        {
            if (!now.TryGetValue((r.Host, r.Device), out var c))
            {
                reasons.Add($"{r.Host}/{r.Device}: no longer in the scope");
                continue;
            }
            Compare(reasons, r, "kernel", r.Kernel, c.Kernel);
            Compare(reasons, r, "driver", r.Driver, c.Driver);
            Compare(reasons, r, "driver version", r.DriverVersion, c.DriverVersion);
            Compare(reasons, r, "IOMMU mode", r.IommuMode, c.IommuMode);
            if (reasons.Count == 0 || !reasons[^1].StartsWith($"{r.Host}/{r.Device}:", StringComparison.Ordinal))
            {
                // Same named fields but another fingerprint: something else the fingerprint covers changed.
                Compare(reasons, r, "config fingerprint", r.Fingerprint, c.Fingerprint);
            }
        }
        var known = recorded.Select(r => (r.Host, r.Device)).ToHashSet();
        foreach (var c in current.Where(c => !known.Contains((c.Host, c.Device))))
        {
            reasons.Add($"{c.Host}/{c.Device}: joined the scope after the fit");
        }
        return reasons;
    }

    private static void Compare(List<string> reasons, HostConfig r, string what, string before, string after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            reasons.Add($"{r.Host}/{r.Device}: {what} {before} → {after}");
        }
    }
}
