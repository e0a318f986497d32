using System.Reflection;
using System.Text;

namespace DmaSlip.Core.Domain;

/// <summary>One canonical table and the row record that holds its rows.</summary>
public sealed record CanonicalTable(string Name, Type RowType);

/// <summary>
/// The canonical tables (DESIGN §3) and the one rule that maps a row record to its columns: the snake_case names of
/// the record's widest constructor's parameters, in order. Storage (DuckDB DDL and mapping) and Ingest (canonical
/// CSV headers) both use this, so a header, a table and a record can never disagree.
/// </summary>
public static class CanonicalSchema
{
    public static IReadOnlyList<CanonicalTable> All { get; } =
    [
        new("hosts", typeof(HostInfo)), new("host_events", typeof(HostEventRow)), new("host_frames", typeof(HostFrame)),
        new("host_counters", typeof(HostCounter)), new("market_quotes", typeof(Quote)), new("market_trades", typeof(Trade)),
        new("market_book_events", typeof(BookEvent)), new("parent_orders", typeof(ParentOrder)), new("order_events", typeof(OrderEvent)),
        new("exec_frames", typeof(ExecFrame)), new("parent_outcomes", typeof(ParentOutcome)), new("regime_transitions", typeof(RegimeTransition)),
        new("routes", typeof(RouteChange)), new("models", typeof(ModelArtifact)), new("ingest_files", typeof(IngestFile)),
        new("quarantine", typeof(QuarantineRecord)), new("truth_parent", typeof(TruthParent)), new("truth_windows", typeof(TruthWindow)),
        new("host_frame_sources", typeof(HostFrameSources)), new("truth_host_frames", typeof(HostFrame)),
        new("iommu_estimates", typeof(IommuEstimateRow)),
    ];

    /// <summary>The constructor whose parameters define a row record's columns (the widest one).</summary>
    public static ConstructorInfo Constructor(Type row) =>
        row.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

    /// <summary>Column names of a row record, in order.</summary>
    public static IReadOnlyList<string> Columns(Type row) =>
        Constructor(row).GetParameters().Select(p => ToSnake(p.Name!)).ToArray();

    /// <summary>PascalCase → snake_case: <c>CIommuBps</c> → <c>c_iommu_bps</c>, <c>InvLatencyQ50Ns</c> → <c>inv_latency_q50_ns</c>.</summary>
    public static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var prev = name[i - 1];
                var nextLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextLower))
                {
                    sb.Append('_');
                }
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
