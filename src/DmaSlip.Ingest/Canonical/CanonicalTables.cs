using System.Reflection;
using System.Text;
using DmaSlip.Core.Domain;

namespace DmaSlip.Ingest.Canonical;

/// <summary>
/// The canonical tables and their row records, as Ingest sees them (Storage's <c>Tables</c> is the same list; a test
/// keeps the two equal). Columns are the snake_case names of the record's constructor parameters, in order.
/// </summary>
internal static class CanonicalTables
{
    public static readonly IReadOnlyList<(string Table, Type Row)> All =
    [
        ("hosts", typeof(HostInfo)), ("host_events", typeof(HostEventRow)), ("host_frames", typeof(HostFrame)),
        ("host_counters", typeof(HostCounter)), ("market_quotes", typeof(Quote)), ("market_trades", typeof(Trade)),
        ("market_book_events", typeof(BookEvent)), ("parent_orders", typeof(ParentOrder)), ("order_events", typeof(OrderEvent)),
        ("exec_frames", typeof(ExecFrame)), ("parent_outcomes", typeof(ParentOutcome)), ("regime_transitions", typeof(RegimeTransition)),
        ("routes", typeof(RouteChange)), ("models", typeof(ModelArtifact)), ("ingest_files", typeof(IngestFile)),
        ("quarantine", typeof(QuarantineRecord)), ("truth_parent", typeof(TruthParent)), ("truth_windows", typeof(TruthWindow)),
    ];

    private static readonly Dictionary<string, (string Table, Type Row)> ByHeader = All.ToDictionary(t => string.Join(",", Columns(t.Row)), t => t);

    public static IReadOnlyList<string> Columns(Type row) =>
        row.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters().Select(p => ToSnake(p.Name!)).ToArray();

    /// <summary>The table whose column list equals this CSV header line (comma separated, optional quotes), or null.</summary>
    public static (string Table, Type Row)? MatchHeader(ReadOnlySpan<byte> line)
    {
        if (line.Length > 2000 || line.IndexOf((byte)',') < 0)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(line).Replace("\"", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return ByHeader.TryGetValue(text, out var t) ? t : null;
    }

    public static (string Table, Type Row)? ByName(string table) =>
        All.FirstOrDefault(t => t.Table.Equals(table, StringComparison.OrdinalIgnoreCase)) is var r && r.Table is not null ? r : null;

    public static ConstructorInfo Constructor(Type row) => row.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

    /// <summary>Same rule as Storage's naming: <c>CIommuBps</c> → <c>c_iommu_bps</c>, <c>InvLatencyQ50Ns</c> → <c>inv_latency_q50_ns</c>.</summary>
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
