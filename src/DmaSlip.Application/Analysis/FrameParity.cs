using DmaSlip.Storage;

namespace DmaSlip.Application.Analysis;

/// <summary>One column of a parity check: how often each side has it, and the error where both do.</summary>
internal sealed record ColumnParity(string Column, long TruthFilled, long OursFilled, long Both, double? MedianRelativeError, double? P90RelativeError, double? MedianAbsoluteError);

/// <summary>Frames from ingest → features against the simulator's own frames (truth_host_frames), matched on (host, queue, window).</summary>
internal sealed record FrameParityReport(long TruthRows, long OurRows, long Matched, double Coverage, IReadOnlyList<ColumnParity> Columns);

/// <summary>
/// Parity of <c>host_frames</c> with <c>truth_host_frames</c> (docs/PERFORMANCE.md "Frame parity"): coverage = matched
/// (host, queue, window_start, window length) / truth rows; per column, relative error |ours − truth| / |truth| over
/// matched rows where both are non-null and truth ≠ 0 (median and p90), and the median absolute error.
/// </summary>
internal static class FrameParity
{
    public static readonly string[] Columns =
    [
        "flush_rate", "flush_burst_q50", "flush_burst_q95", "flush_burst_q99", "map_rate", "unmap_rate", "iotlb_miss_ratio",
        "inv_latency_q50_ns", "inv_latency_q99_ns", "dma_latency_q50_ns", "dma_latency_q99_ns", "ring_oscillation",
        "napi_poll_variance_us2", "napi_saturation_share", "numa_local_share", "rx_cadence_cv", "tx_cadence_cv",
    ];

    public static FrameParityReport Compute(DmaSlipStore store)
    {
        const string join = "FROM truth_host_frames t JOIN host_frames f ON t.host = f.host AND t.queue = f.queue AND t.window_start_ns = f.window_start_ns AND t.window_ns = f.window_ns";
        var truthRows = store.Count("truth_host_frames");
        var ours = store.Count("host_frames");
        var matched = store.SqlSingle<long>($"SELECT count(*) {join}");
        var cols = new List<ColumnParity>();
        foreach (var c in Columns)
        {
            var both = $"t.{c} IS NOT NULL AND f.{c} IS NOT NULL";
            var rel = $"abs(f.{c} - t.{c}) / abs(t.{c})";
            cols.Add(store.SqlSingle<ColumnParity>($"SELECT '{c}' AS \"column\", count(t.{c}) AS truth_filled, count(f.{c}) AS ours_filled, count(*) FILTER ({both}) AS \"both\", "
                + $"CAST(quantile_cont({rel}, 0.5) FILTER ({both} AND t.{c} <> 0) AS DOUBLE) AS median_relative_error, "
                + $"CAST(quantile_cont({rel}, 0.9) FILTER ({both} AND t.{c} <> 0) AS DOUBLE) AS p90_relative_error, "
                + $"CAST(quantile_cont(abs(f.{c} - t.{c}), 0.5) FILTER ({both}) AS DOUBLE) AS median_absolute_error {join}"));
        }
        return new FrameParityReport(truthRows, ours, matched, truthRows == 0 ? 0 : (double)matched / truthRows, cols);
    }
}
