namespace DmaSlip.Reports.Charts;

/// <summary>
/// Orders flush-pressure bucket labels from calm to storm whatever their exact names (the features stage names
/// them; <c>low/mid/high</c>, <c>calm/watch/storm</c>, <c>q1..q4</c> all sort correctly), so charts read left to right
/// as pressure rises.
/// </summary>
internal static class PressureBuckets
{
    private static readonly string[][] Ranks =
    [
        ["none", "calm", "low", "stable", "map-stable", "map_stable"],
        ["mid", "medium", "moderate", "watch", "elevated", "pressure-watch", "pressure_watch"],
        ["high", "storm", "flush-storm", "flush_storm", "severe"],
        ["extreme", "contain", "safe_dma_contain", "safe-dma-contain"],
    ];

    public static int Rank(string bucket)
    {
        var b = bucket.Trim().ToLowerInvariant();
        for (var i = 0; i < Ranks.Length; i++)
        {
            if (Array.IndexOf(Ranks[i], b) >= 0)
            {
                return i;
            }
        }
        return Ranks.Length;
    }

    public static IReadOnlyList<T> Sort<T>(IEnumerable<T> rows, Func<T, string> bucket) =>
        [.. rows.OrderBy(r => Rank(bucket(r))).ThenBy(r => bucket(r), StringComparer.Ordinal)];
}
