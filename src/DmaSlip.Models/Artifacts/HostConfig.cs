using DmaSlip.Core.Domain;

namespace DmaSlip.Models.Artifacts;

/// <summary>The host configuration a model depends on (from <c>hosts</c>): a change here invalidates the model.</summary>
public sealed record HostConfig(string Host, string Device, string Kernel, string Driver, string DriverVersion, string IommuMode, string Fingerprint)
{
    public static HostConfig Of(HostInfo h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new(h.Host, h.Device, h.Kernel, h.Driver, h.DriverVersion, EnumText.Name(h.IommuMode), h.Fingerprint);
    }

    /// <summary>The current configuration of each (host, device): the row with the latest valid_from_ns.</summary>
    public static IReadOnlyList<HostConfig> Current(IEnumerable<HostInfo> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.GroupBy(r => (r.Host, r.Device))
            .Select(g => Of(g.OrderByDescending(r => r.ValidFromNs).First()))
            .OrderBy(c => c.Host, StringComparer.Ordinal).ThenBy(c => c.Device, StringComparer.Ordinal)
            .ToArray();
    }
}
