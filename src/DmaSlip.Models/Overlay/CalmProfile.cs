using DmaSlip.Models.Features;

namespace DmaSlip.Models.Overlay;

/// <summary>
/// What each host's pressure features look like when it is calm: per host, up to <see cref="Size"/> host/timing
/// feature vectors of its calm parents, taken evenly across the day (the pooled calm set for a host with none).
/// C_iommu is the overlay's prediction at a parent's own features minus its mean prediction over these calm vectors
/// with the parent's own market features — the interventional counterfactual "same order, same market, calm host",
/// which is what the simulator's calm twin measures. Averaging over real calm states (not one median vector) keeps
/// the reference inside the region the trees were fitted on.
/// </summary>
public sealed record CalmProfile(IReadOnlyDictionary<string, float[][]> Hosts, float[][] Pooled)
{
    /// <summary>Calm reference vectors kept per host.</summary>
    public const int Size = 16;

    /// <summary>Builds the profile from <paramref name="x"/> (row-major × <see cref="OverlayFeatureSchema.Count"/>).</summary>
    public static CalmProfile Build(float[] x, IReadOnlyList<string> hosts, IReadOnlyList<bool> calm)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(calm);
        var cols = OverlayFeatureSchema.Count;
        var calmRows = Enumerable.Range(0, calm.Count).Where(i => calm[i]).ToArray();
        var byHost = calmRows.GroupBy(i => hosts[i], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Spread(x, [.. g], cols), StringComparer.Ordinal);
        return new CalmProfile(byHost, Spread(x, calmRows, cols));
    }

    /// <summary>The calm vectors of <paramref name="host"/> (the pooled ones for a host the fit did not see).</summary>
    public float[][] For(string host) => Hosts.TryGetValue(host, out var p) ? p : Pooled;

    /// <summary>
    /// Writes one counterfactual row per calm vector of <paramref name="host"/> into <paramref name="target"/>
    /// (rows × <see cref="OverlayFeatureSchema.Count"/>): the calm vector's host/timing features with
    /// <paramref name="row"/>'s market features. Returns the number of rows written.
    /// </summary>
    public int Counterfactuals(ReadOnlySpan<float> row, string host, Span<float> target)
    {
        var vectors = For(host);
        var features = OverlayFeatureSchema.Features;
        var cols = row.Length;
        for (var k = 0; k < vectors.Length; k++)
        {
            for (var c = 0; c < cols; c++)
            {
                target[(k * cols) + c] = features[c].Family == FeatureFamily.Market ? row[c] : vectors[k][c];
            }
        }
        return vectors.Length;
    }

    private static float[][] Spread(float[] x, int[] rows, int cols)
    {
        var n = Math.Min(Size, rows.Length);
        var result = new float[n][];
        for (var k = 0; k < n; k++)
        {
            // Evenly across the rows (arrival order): the calm state of the whole day, not one stretch of it.
            var r = rows[(int)((k + 0.5) * rows.Length / n)];
            result[k] = x.AsSpan(r * cols, cols).ToArray();
        }
        return result;
    }
}
