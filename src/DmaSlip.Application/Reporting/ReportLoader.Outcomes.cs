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
        var r = store.Sql<DecompositionRow>($"""
            WITH x AS (
              SELECT o.*, CAST(p.qty AS DOUBLE) * p.arrival_mid AS w
              FROM parent_outcomes o JOIN parent_orders p ON p.parent_id = o.parent_id
              WHERE {where})
            SELECT CAST(count(*) AS BIGINT) AS parents, CAST(sum(w) AS DOUBLE) AS notional_ccy, CAST(sum(is_ccy) AS DOUBLE) AS is_ccy,
              sum(is_bps * w) / sum(w) AS is_bps, sum(c_delay_bps * w) / sum(w) AS c_delay_bps, sum(c_impact_bps * w) / sum(w) AS c_impact_bps,
              sum(c_miss_bps * w) / sum(w) AS c_miss_bps, sum(c_dma_jitter_bps * w) / sum(w) AS c_dma_jitter_bps,
              sum(c_service_burst_bps * w) / sum(w) AS c_service_burst_bps, sum(c_queue_decay_bps * w) / sum(w) AS c_queue_decay_bps,
              CAST(count(*) FILTER (WHERE c_dma_jitter_bps IS NOT NULL AND c_service_burst_bps IS NOT NULL AND c_queue_decay_bps IS NOT NULL) AS BIGINT) AS parents_with_iommu
            FROM x
            """, p)[0];
        if (r.Parents == 0 || r.NotionalCcy is not > 0)
        {
            return null;
        }
        var all = r.ParentsWithIommu == r.Parents;
        return new IsDecomposition(r.Parents, r.NotionalCcy.Value, r.IsCcy ?? 0, r.IsBps ?? 0, r.CDelayBps ?? 0, r.CImpactBps ?? 0, r.CMissBps ?? 0,
            all ? r.CDmaJitterBps : null, all ? r.CServiceBurstBps : null, all ? r.CQueueDecayBps : null, r.ParentsWithIommu);
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
        var rows = store.Sql<MarkoutRow>($"""
            SELECT o.pressure_bucket,
              CAST(count(*) FILTER (WHERE o.markout10ms_bps IS NOT NULL OR o.markout100ms_bps IS NOT NULL OR o.markout1s_bps IS NOT NULL OR o.markout5s_bps IS NOT NULL) AS BIGINT) AS parents,
              {W("o.markout10ms_bps")} AS bps10ms, {W("o.markout100ms_bps")} AS bps100ms, {W("o.markout1s_bps")} AS bps1s, {W("o.markout5s_bps")} AS bps5s
            FROM parent_outcomes o JOIN parent_orders p ON p.parent_id = o.parent_id
            WHERE {where} AND o.executed_qty > 0
            GROUP BY o.pressure_bucket
            """, p);
        var list = rows.Where(r => r.Parents > 0).ToList();
        return list.Count > 0 ? list : null;
    }

    /// <summary>Mean of per-parent passive fill ratios by pressure bucket (parents that posted passively).</summary>
    internal static IReadOnlyList<FillRatioRow>? FillRatios(DmaSlipStore store, ReportRequest request)
    {
        var (where, p) = ParentRange(request);
        var list = store.Sql<FillRatioRow>($"""
            SELECT o.pressure_bucket, CAST(count(o.passive_fill_ratio) AS BIGINT) AS parents, avg(o.passive_fill_ratio) AS passive_fill_ratio
            FROM parent_outcomes o JOIN parent_orders p ON p.parent_id = o.parent_id
            WHERE {where} AND o.passive_fill_ratio IS NOT NULL
            GROUP BY o.pressure_bucket
            """, p);
        return list.Count > 0 ? list : null;
    }

    /// <summary>Ingested files, row counts of every canonical table, quarantine reasons with one example each.</summary>
    internal static DataQuality Quality(DmaSlipStore store)
    {
        var files = store.Query<Core.Domain.IngestFile>(orderBy: "path").ToList();
        var tables = Tables.All.Select(t => new TableCount(t.Name, store.Count(t.Name))).ToList();
        var reasons = store.Sql<QuarantineRow>("""
            WITH q AS (SELECT reason, file_hash, path, "offset", raw,
                         row_number() OVER (PARTITION BY reason ORDER BY path, "offset") AS rn FROM quarantine)
            SELECT reason, CAST(count(*) AS BIGINT) AS records, CAST(count(DISTINCT file_hash) AS BIGINT) AS files,
              max(CASE WHEN rn = 1 THEN path END) AS example_path, CAST(max(CASE WHEN rn = 1 THEN "offset" END) AS BIGINT) AS example_offset,
              CAST(max(CASE WHEN rn = 1 THEN raw END) AS VARCHAR) AS example_raw
            FROM q GROUP BY reason ORDER BY 2 DESC, 1
            """).Select(r => new QuarantineReason(r.Reason, r.Records, r.Files, r.ExamplePath ?? "", r.ExampleOffset ?? 0, r.ExampleRaw ?? "")).ToList();
        return new DataQuality(files, tables, reasons);
    }
}

/// <summary>One row of the IS decomposition query (sums are null over no rows).</summary>
internal sealed record DecompositionRow(long Parents, double? NotionalCcy, double? IsCcy, double? IsBps, double? CDelayBps, double? CImpactBps,
    double? CMissBps, double? CDmaJitterBps, double? CServiceBurstBps, double? CQueueDecayBps, long ParentsWithIommu);

/// <summary>One quarantine reason with its first example (by path and offset).</summary>
internal sealed record QuarantineRow(string Reason, long Records, long Files, string? ExamplePath, long? ExampleOffset, string? ExampleRaw);
