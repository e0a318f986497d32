using DmaSlip.Reports.Model;
using DmaSlip.Storage;

namespace DmaSlip.Application.Reporting;

internal static partial class ReportLoader
{
    /// <summary>
    /// Notional-weighted means (weight Q·P_d of each parent) of IS and its terms. The IOMMU terms are reported only
    /// when every parent in range has them; otherwise they are null and the classical terms still contain IOMMU cost.
    /// </summary>
    internal static IsDecomposition? IsDecomposition(DmaSlipStore store, ReportRequest request)
    {
        var (where, p) = ParentRange(request);
        var r = store.Sql($"""
            WITH x AS (
              SELECT o.*, CAST(p.qty AS DOUBLE) * p.arrival_mid AS w
              FROM parent_outcomes o JOIN parent_orders p ON p.parent_id = o.parent_id
              WHERE {where})
            SELECT CAST(count(*) AS BIGINT), CAST(sum(w) AS DOUBLE), CAST(sum(is_ccy) AS DOUBLE),
              sum(is_bps * w) / sum(w), sum(c_delay_bps * w) / sum(w), sum(c_impact_bps * w) / sum(w), sum(c_miss_bps * w) / sum(w),
              sum(c_dma_jitter_bps * w) / sum(w), sum(c_service_burst_bps * w) / sum(w), sum(c_queue_decay_bps * w) / sum(w),
              CAST(count(*) FILTER (WHERE c_dma_jitter_bps IS NOT NULL AND c_service_burst_bps IS NOT NULL AND c_queue_decay_bps IS NOT NULL) AS BIGINT)
            FROM x
            """, p).Rows[0];
        var n = L(r[0]);
        if (n == 0 || D(r[1]) is not > 0)
        {
            return null;
        }
        var withIommu = L(r[10]);
        var all = withIommu == n;
        return new IsDecomposition(n, D(r[1])!.Value, D(r[2]) ?? 0, D(r[3]) ?? 0, D(r[4]) ?? 0, D(r[5]) ?? 0, D(r[6]) ?? 0,
            all ? D(r[7]) : null, all ? D(r[8]) : null, all ? D(r[9]) : null, withIommu);
    }

    /// <summary>The latest fit's C_iommu over all pools (<c>iommu_estimates</c>, scope "all"); null before a fit.</summary>
    internal static IommuSummary? IommuSummary(DmaSlipStore store) =>
        store.Query<Core.Domain.IommuEstimateRow>("scope = 'all'").Select(r =>
            new IommuSummary(r.MeanBps, r.LowBps, r.HighBps, r.Method, r.Resolved, r.Parents, r.ParentsNeeded)).FirstOrDefault();

    /// <summary>Executed-quantity-weighted mean markout per horizon, by pressure bucket (parents with a markout at that horizon).</summary>
    internal static IReadOnlyList<MarkoutRow>? Markouts(DmaSlipStore store, ReportRequest request)
    {
        var (where, p) = ParentRange(request);
        static string W(string c) => $"sum({c} * o.executed_qty) / nullif(sum(o.executed_qty) FILTER (WHERE {c} IS NOT NULL), 0)";
        var rows = store.Sql($"""
            SELECT o.pressure_bucket,
              CAST(count(*) FILTER (WHERE o.markout10ms_bps IS NOT NULL OR o.markout100ms_bps IS NOT NULL OR o.markout1s_bps IS NOT NULL OR o.markout5s_bps IS NOT NULL) AS BIGINT),
              {W("o.markout10ms_bps")}, {W("o.markout100ms_bps")}, {W("o.markout1s_bps")}, {W("o.markout5s_bps")}
            FROM parent_outcomes o JOIN parent_orders p ON p.parent_id = o.parent_id
            WHERE {where} AND o.executed_qty > 0
            GROUP BY o.pressure_bucket
            """, p).Rows;
        var list = rows.Where(r => L(r[1]) > 0)
            .Select(r => new MarkoutRow((string)r[0]!, L(r[1]), D(r[2]), D(r[3]), D(r[4]), D(r[5]))).ToList();
        return list.Count > 0 ? list : null;
    }

    /// <summary>Mean of per-parent passive fill ratios by pressure bucket (parents that posted passively).</summary>
    internal static IReadOnlyList<FillRatioRow>? FillRatios(DmaSlipStore store, ReportRequest request)
    {
        var (where, p) = ParentRange(request);
        var rows = store.Sql($"""
            SELECT o.pressure_bucket, CAST(count(o.passive_fill_ratio) AS BIGINT), avg(o.passive_fill_ratio)
            FROM parent_outcomes o JOIN parent_orders p ON p.parent_id = o.parent_id
            WHERE {where} AND o.passive_fill_ratio IS NOT NULL
            GROUP BY o.pressure_bucket
            """, p).Rows;
        var list = rows.Select(r => new FillRatioRow((string)r[0]!, L(r[1]), D(r[2]) ?? 0)).ToList();
        return list.Count > 0 ? list : null;
    }

    /// <summary>Ingested files, row counts of every canonical table, quarantine reasons with one example each.</summary>
    internal static DataQuality Quality(DmaSlipStore store)
    {
        var files = store.Query<Core.Domain.IngestFile>(orderBy: "path").ToList();
        var tables = Tables.All.Select(t => new TableCount(t.Name, store.Count(t.Name))).ToList();
        var reasons = store.Sql("""
            WITH q AS (SELECT reason, file_hash, path, "offset", raw,
                         row_number() OVER (PARTITION BY reason ORDER BY path, "offset") AS rn FROM quarantine)
            SELECT reason, CAST(count(*) AS BIGINT), CAST(count(DISTINCT file_hash) AS BIGINT),
              max(CASE WHEN rn = 1 THEN path END), max(CASE WHEN rn = 1 THEN "offset" END), max(CASE WHEN rn = 1 THEN raw END)
            FROM q GROUP BY reason ORDER BY 2 DESC, 1
            """).Rows.Select(r => new QuarantineReason((string)r[0]!, L(r[1]), L(r[2]), (string?)r[3] ?? "", L(r[4]), (string?)r[5] ?? "")).ToList();
        return new DataQuality(files, tables, reasons);
    }
}
