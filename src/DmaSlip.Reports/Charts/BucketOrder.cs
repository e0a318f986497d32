using DmaSlip.Core.Attribution;

namespace DmaSlip.Reports.Charts;

/// <summary>Orders rows by flush-pressure bucket from calm to storm, unknown last, so charts and tables read left to right as pressure rises.</summary>
internal static class BucketOrder
{
    public static IReadOnlyList<T> Sort<T>(IEnumerable<T> rows, Func<T, PressureBucket> bucket) =>
        [.. rows.OrderBy(r => bucket(r) == PressureBucket.Unknown ? int.MaxValue : (int)bucket(r))];
}
