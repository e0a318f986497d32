using DmaSlip.Core.Domain;

namespace DmaSlip.Storage;

/// <summary>
/// A canonical table: its name, the row type it holds, and how its Parquet export is partitioned.
/// <paramref name="AppendOnlyKey"/>: the natural key of a table without a primary key (append-only, migrations 2101, 2104, 2105),
/// which writers of rows of unknown provenance check set-wise per batch instead of per row.
/// </summary>
public sealed record TableSpec(string Name, Type RowType, string? TimeColumn, bool HasPool, IReadOnlyList<string>? AppendOnlyKey = null)
{
    /// <summary>
    /// Statements that insert into this table <paramref name="columns"/> (all of its columns, for <c>host_events</c>)
    /// of the rows of <paramref name="from"/> whose key is absent: <c>INSERT OR IGNORE</c> on a primary key, or an
    /// anti-join on the append-only key. Run them in order; the last one's row count is the rows added.
    /// </summary>
    internal IReadOnlyList<string> InsertNew(string columns, string from)
    {
        if (Name == HostEventStorage.View)
        {
            return HostEventStorage.InsertNew(from, AppendOnlyKey!);
        }
        if (AppendOnlyTable.ByView(Name) is { } byFile)
        {
            return byFile.InsertNew(from);
        }
        return AppendOnlyKey is null
            ? [$"INSERT OR IGNORE INTO main.{Name} ({columns}) SELECT {columns} FROM {from}"]
            : [$"INSERT INTO main.{Name} ({columns}) SELECT {columns} FROM (SELECT DISTINCT ON ({string.Join(", ", AppendOnlyKey)}) * FROM {from}) s "
               + $"WHERE NOT EXISTS (SELECT 1 FROM main.{Name} t WHERE {KeyMatch(AppendOnlyKey)})"];
    }

    /// <summary>Statements that insert every row of <paramref name="from"/> (the table's columns by name), with no key check.</summary>
    internal IReadOnlyList<string> InsertAll(string from) =>
        Name == HostEventStorage.View ? HostEventStorage.InsertAll(from)
        : AppendOnlyTable.ByView(Name) is { } byFile ? byFile.InsertAll(from)
        : [$"INSERT INTO main.{Name} SELECT * FROM {from}"];

    internal static string KeyMatch(IEnumerable<string> key) => string.Join(" AND ", key.Select(k => $"t.{k} = s.{k}"));
}

/// <summary>The canonical tables of DESIGN §3 and the row record each maps to (columns = snake_case of the record's parameters).</summary>
public static class Tables
{
    public static readonly TableSpec Hosts = new("hosts", typeof(HostInfo), "valid_from_ns", true);
    public static readonly TableSpec HostEvents = new("host_events", typeof(HostEventRow), "ts_ns", false, ["host", "source", "source_offset", "kind"]);
    public static readonly TableSpec HostFrames = new("host_frames", typeof(HostFrame), "window_start_ns", false);
    public static readonly TableSpec HostCounters = new("host_counters", typeof(HostCounter), "ts_ns", false, ["host", "source", "device", "name", "ts_ns"]);
    public static readonly TableSpec MarketQuotes = new("market_quotes", typeof(Quote), "ts_ns", false, ["symbol", "venue", "ts_ns", "seq"]);
    public static readonly TableSpec MarketTrades = new("market_trades", typeof(Trade), "ts_ns", false, ["symbol", "venue", "ts_ns", "seq"]);
    public static readonly TableSpec MarketBookEvents = new("market_book_events", typeof(BookEvent), "ts_ns", false);
    public static readonly TableSpec ParentOrders = new("parent_orders", typeof(ParentOrder), "arrival_ts_ns", true);
    public static readonly TableSpec OrderEvents = new("order_events", typeof(OrderEvent), "ts_ns", false);
    public static readonly TableSpec ExecFrames = new("exec_frames", typeof(ExecFrame), "window_start_ns", false);
    public static readonly TableSpec ParentOutcomes = new("parent_outcomes", typeof(ParentOutcome), null, true);
    public static readonly TableSpec RegimeTransitions = new("regime_transitions", typeof(RegimeTransition), "ts_ns", false);
    public static readonly TableSpec Routes = new("routes", typeof(RouteChange), "ts_ns", true);
    public static readonly TableSpec Models = new("models", typeof(ModelArtifact), "created_ns", false);
    public static readonly TableSpec IngestFiles = new("ingest_files", typeof(IngestFile), "ingested_ns", false);
    public static readonly TableSpec Quarantine = new("quarantine", typeof(QuarantineRecord), null, false);
    public static readonly TableSpec TruthParent = new("truth_parent", typeof(TruthParent), null, true);
    public static readonly TableSpec TruthWindows = new("truth_windows", typeof(TruthWindow), "window_start_ns", false);
    public static readonly TableSpec HostFrameSourceRows = new("host_frame_sources", typeof(HostFrameSources), "window_start_ns", false);

    /// <summary>The simulator's own frames (<c>truth/host_frames.parquet</c>), for parity checks; same columns as host_frames.</summary>
    public static readonly TableSpec TruthHostFrames = new("truth_host_frames", typeof(HostFrame), "window_start_ns", false);
    public static readonly TableSpec IommuEstimates = new("iommu_estimates", typeof(IommuEstimateRow), "computed_ns", false);

    public static IReadOnlyList<TableSpec> All { get; } =
    [
        Hosts, HostEvents, HostFrames, HostCounters, MarketQuotes, MarketTrades, MarketBookEvents, ParentOrders,
        OrderEvents, ExecFrames, ParentOutcomes, RegimeTransitions, Routes, Models, IngestFiles, Quarantine,
        TruthParent, TruthWindows, HostFrameSourceRows, TruthHostFrames, IommuEstimates,
    ];

    /// <summary>The table of a row type (host_frames for <see cref="HostFrame"/>: truth_host_frames is reached by name).</summary>
    public static TableSpec For(Type rowType) =>
        All.FirstOrDefault(t => t.RowType == rowType)
        ?? throw new ArgumentException($"{rowType.Name} is not the row type of a canonical table.", nameof(rowType));

    public static bool TryFind(string name, out TableSpec spec)
    {
        spec = All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return spec is not null;
    }
}
