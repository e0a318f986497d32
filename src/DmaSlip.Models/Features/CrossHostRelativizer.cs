namespace DmaSlip.Models.Features;

/// <summary>
/// Makes the queue-decay features host-relative: each parent's raw value minus the median of the same feature over
/// parents on OTHER hosts whose arrival falls in the same time bucket. A venue or network latency shock reaches
/// every host at once and cancels; IOMMU pressure is local to a host (or pool) and survives. With no other-host
/// parent in the bucket the feature becomes NaN (unknown), never a silent raw value.
/// </summary>
public static class CrossHostRelativizer
{
    public static void Apply(IReadOnlyList<string> hosts, IReadOnlyList<long> arrivalNs, IReadOnlyList<float[]> features, long bucketNs)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(arrivalNs);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketNs, 1);
        var columns = OverlayFeatureSchema.HostRelative.Select(OverlayFeatureSchema.IndexOf).ToArray();
        var buckets = Enumerable.Range(0, hosts.Count).GroupBy(i => arrivalNs[i] / bucketNs);
        var relative = new float[hosts.Count * columns.Length];
        foreach (var bucket in buckets)
        {
            var members = bucket.ToArray();
            foreach (var hostGroup in members.GroupBy(i => hosts[i], StringComparer.Ordinal))
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    var col = columns[c];
                    var others = members.Where(j => !string.Equals(hosts[j], hostGroup.Key, StringComparison.Ordinal))
                        .Select(j => features[j][col]).Where(x => !float.IsNaN(x)).ToArray();
                    var median = others.Length == 0 ? float.NaN : Median(others);
                    foreach (var i in hostGroup)
                    {
                        relative[(i * columns.Length) + c] = features[i][col] - median;
                    }
                }
            }
        }
        for (var i = 0; i < hosts.Count; i++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                features[i][columns[c]] = relative[(i * columns.Length) + c];
            }
        }
    }

    private static float Median(float[] values)
    {
        Array.Sort(values);
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}
