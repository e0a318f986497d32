using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;

namespace DmaSlip.Storage.Tests;

/// <summary>A few rows of every canonical table, with nulls where columns allow them.</summary>
internal static class SampleRows
{
    public const long Day1 = 1_700_000_000_000_000_000;
    public const long Day2 = Day1 + Time.NanosPerDay;

    public static HostInfo[] Hosts =>
    [
        new("h1", "pool-a", "eth0", "ConnectX-6 Dx", "mlx5_core", "5.8-1", "6.1.0-18-amd64", IommuMode.Lazy, 0, 0, "fp1", Day1, null),
        new("h2", "pool-b", "ens1f0", "E810-C", "ice", "1.12.7", "6.1.0-18-amd64", IommuMode.Passthrough, 1, 0, "fp2", Day1, "SR-1234"),
    ];

    public static HostEventRow[] HostEvents =>
    [
        new(Day1 + 5, "h1", "eth0", 3, 7, HostEventKind.Map, 4096, 0xfee00000, 0, "abc", 10),
        new(Day1 + 6, "h1", "eth0", 3, 7, HostEventKind.QiSubmit, 0, 1500, 2, "abc", 11),
        new(Day2 + 6, "h1", "eth0", 3, 7, HostEventKind.NapiPoll, 0, 64, 64, "abc", 12),
    ];

    public static HostFrame[] HostFrames =>
    [
        new("h1", "eth0", 0, Day1, 100_000_000, 1200, 1, 4, 9, 50_000, 49_800, null, 900, 4000, 2100, 9000, 0.3, 12.5, 0.1, 1.0, 0.2, 0.25, 1000),
        new("h1", "eth0", 1, Day2, 100_000_000, 0, 0, 0, 0, 10, 10, 0.01, null, null, null, null, null, null, null, null, null, null, 20),
    ];

    public static HostCounter[] HostCounters =>
    [
        new(Day1, "h1", "ethtool", "eth0", "rx0_cache_reuse", 12345),
        new(Day1 + 1_000_000_000, "h1", "ethtool", "eth0", "rx0_cache_reuse", 12400),
    ];

    public static Quote[] Quotes =>
    [
        new(Day1 + 1, "IBM", "N", 185.01, 100, 185.03, 300, null, 0),
        new(Day1 + 1, "IBM", "N", 185.01, 200, 185.03, 300, Day1, 1),
        new(Day2 + 1, "BAC", "P", 13.90, 1000, 0, 0, null, 0),
    ];

    public static Trade[] Trades =>
    [
        new(Day1 + 2, "IBM", "N", 185.02, 100, "@", null, 0),
        new(Day2 + 2, "BAC", "P", 13.91, 500, null, Day2, 0),
    ];

    public static BookEvent[] BookEvents =>
    [
        new(Day1 + 3, "ESH4", "GLBX", 'A', 'B', 4780.25, 2, 99, Day1 + 1, 0),
        new(Day1 + 3, "ESH4", "GLBX", 'C', 'B', 4780.25, 2, 99, null, 1),
    ];

    public static ParentOrder[] ParentOrders =>
    [
        new("P1", "IBM", 1, 10_000, Day1, 185.02, Day1 + 600_000_000_000, "twap", "h1", "pool-a", "normal"),
        new("P2", "BAC", -1, 50_000, Day2, 13.905, Day2 + 600_000_000_000, "pov", "h2", "pool-b", "high"),
    ];

    public static OrderEvent[] OrderEvents =>
    [
        new(Day1 + 10, "P1", "C1", "C1-0", null, OrderEventKind.Send, 185.01, 100, "N", "h1", 0, Liquidity.Unknown, ""),
        new(Day1 + 20, "P1", "C1", "C1-1", "C1-0", OrderEventKind.Replace, 185.02, 100, "N", "h1", 0, Liquidity.Unknown, ""),
        new(Day1 + 30, "P1", "C1", "C1-1", null, OrderEventKind.Fill, 185.02, 100, "N", "h1", 0, Liquidity.Passive, "E1"),
    ];

    public static ExecFrame[] ExecFrames =>
    [
        new("h1", "IBM", Day1, 1_000_000_000, 2.5, 10_000, 40_000, 90_000, 500, null, 0.1, 20_000, 12),
    ];

    public static ParentOutcome[] ParentOutcomes =>
    [
        new("P1", "h1", "pool-a", "IBM", 10_000, 120.5, 0.65, 0.1, 0.5, 0.05, null, null, null, null, null, 0.4, 0.1, 0.2, 0.3, -0.5, "map-stable", PressureBucket.Unknown, "high", "open"),
        new("P2", "h2", "pool-b", "BAC", 40_000, 300, 4.3, 1, 2, 0.3, 1.0, 0.4, 0.3, 0.3, 3.1, null, null, null, null, null, "flush-storm", PressureBucket.High, "low", "mid"),
    ];

    public static RegimeTransition[] RegimeTransitions =>
    [
        new("h1", Day1 + 100, Regime.MapStable, Regime.PressureWatch, "dfi>=40 for 200ms"),
    ];

    public static RouteChange[] Routes => [new(Day1 + 100, "pool-b", "validated", "operator pin", "ops")];

    public static ModelArtifact[] Models => [new("m1", "overlay-mean", Day1, Day1, Day2, "fp1", "{\"rmse\":1}", "models/m1.txt")];

    public static IngestFile[] IngestFiles => [new("deadbeef", "/data/a.trace", "ftrace", "h1", 10, 2, 1, Day1)];

    public static QuarantineRecord[] Quarantine => [new("deadbeef", "/data/a.trace", 1234, "bad field", "garbage")];

    public static TruthParent[] TruthParents => [new("P1", "h1", "pool-a", "IBM", 5, 3, 2, 1, 0.5, 0.5, true)];

    public static TruthWindow[] TruthWindows => [new("h1", 0, Day1, "storm")];

    /// <summary>Inserts every sample into <paramref name="store"/> and returns the rows added.</summary>
    public static long InsertAll(DmaSlipStore store) =>
        store.Insert(Hosts) + store.Insert(HostEvents) + store.Insert(HostFrames) + store.Insert(HostCounters)
        + store.Insert(Quotes) + store.Insert(Trades) + store.Insert(BookEvents) + store.Insert(ParentOrders)
        + store.Insert(OrderEvents) + store.Insert(ExecFrames) + store.Insert(ParentOutcomes)
        + store.Insert(RegimeTransitions) + store.Insert(Routes) + store.Insert(Models) + store.Insert(IngestFiles)
        + store.Insert(Quarantine) + store.Insert(TruthParents) + store.Insert(TruthWindows);

    public const long Total = 2 + 3 + 2 + 2 + 3 + 2 + 2 + 2 + 3 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1;
}
