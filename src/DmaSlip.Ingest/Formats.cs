using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest;

/// <summary>The format names <c>--format</c> accepts and detection reports (docs/INGEST.md lists the rules).</summary>
public static class Formats
{
    public const string Ftrace = "ftrace";
    public const string TraceCmd = "trace-cmd";
    public const string PerfScript = "perf-script";
    public const string PerfStat = "perf-stat";
    public const string DmarPerfLatency = "dmar-perf-latency";
    public const string EthtoolStats = "ethtool-s";
    public const string EthtoolInfo = "ethtool-i";
    public const string SoftnetStat = "softnet-stat";
    public const string Interrupts = "interrupts";
    public const string Cmdline = "cmdline";
    public const string UnameR = "uname-r";
    public const string IommuGroupType = "iommu-group-type";
    public const string NumaNode = "numa-node";
    public const string Fix = "fix";
    public const string LeanQuote = "lean-quote";
    public const string LeanTrade = "lean-trade";
    public const string LobsterMessage = "lobster-message";
    public const string LobsterOrderbook = "lobster-orderbook";
    public const string DbnMbo = "dbn-mbo";
    public const string CanonicalCsv = "canonical-csv";
    public const string Parquet = "parquet";
    public const string Inventory = "inventory";
    public const string Scenario = "scenario";

    public static IReadOnlyList<string> Names { get; } =
    [
        Ftrace, TraceCmd, PerfScript, PerfStat, DmarPerfLatency, EthtoolStats, EthtoolInfo, SoftnetStat, Interrupts,
        Cmdline, UnameR, IommuGroupType, NumaNode, Fix, LeanQuote, LeanTrade, LobsterMessage, LobsterOrderbook, DbnMbo,
        CanonicalCsv, Parquet, Inventory, Scenario,
    ];

    /// <summary>Formats whose parser spreads one file over the parse threads itself (the traces).</summary>
    internal static bool ParsesInParallel(string format) => format is Ftrace or TraceCmd or PerfScript;

    /// <summary>Formats whose facts combine into one host config (fingerprint, <c>hosts</c> row).</summary>
    public static bool IsHostConfig(string format) => format is EthtoolInfo or Cmdline or UnameR or IommuGroupType or NumaNode;

    internal static IFormatParser Create(string format, int parseThreads = 1) => format switch
    {
        Ftrace or TraceCmd or PerfScript => new TraceParser(parseThreads),
        PerfStat => new Counters.PerfStatParser(),
        DmarPerfLatency => new Counters.DmarLatencyParser(),
        EthtoolStats => new Counters.EthtoolStatsParser(),
        SoftnetStat => new Counters.SoftnetParser(),
        Interrupts => new Counters.InterruptsParser(),
        LeanQuote => new Market.LeanTickParser(quotes: true),
        LeanTrade => new Market.LeanTickParser(quotes: false),
        LobsterMessage => new Market.LobsterParser(orderbook: false),
        LobsterOrderbook => new Market.LobsterParser(orderbook: true),
        DbnMbo => new Market.DbnMboParser(),
        Fix => new Fix.FixParser(),
        CanonicalCsv => new Canonical.CanonicalCsvParser(),
        Inventory => new Canonical.JsonDocsParser(inventory: true),
        Scenario => new Canonical.JsonDocsParser(inventory: false),
        _ => throw new ArgumentException($"Unknown format '{format}'. Known: {string.Join(", ", Names)}.", nameof(format)),
    };
}
