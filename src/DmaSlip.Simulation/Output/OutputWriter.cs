using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Market;
using DmaSlip.Simulation.Writers;

namespace DmaSlip.Simulation.Output;

/// <summary>
/// Writes the output folder (contract in docs/SIMULATOR.md): scenario.json, inventory.json, per-host counters,
/// snapshots, traces and frames (streamed while the host runs), FIX logs, orders and market CSVs. The truth tables
/// are Parquet and written by the caller through Storage (Simulation has no DuckDB).
/// </summary>
internal sealed partial class OutputWriter
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly Scenario _scenario;
    private readonly long _seed;
    private readonly SimulationOptions _options;

    public OutputWriter(string dir, Scenario scenario, long seed, SimulationOptions options, IReadOnlyList<HostSetup> setups)
    {
        Dir = Path.GetFullPath(dir);
        _scenario = scenario;
        _seed = seed;
        _options = options;
        Directory.CreateDirectory(Dir);
        foreach (var s in setups)
        {
            Directory.CreateDirectory(HostDir(s.Name));
        }
    }

    public string Dir { get; }

    private string HostDir(string host) => Path.Combine(Dir, "hosts", host);

    public IReadOnlyList<IHostObserver> ObserversFor(HostSetup setup)
    {
        var dir = HostDir(setup.Name);
        var sessionMs = (int)(_scenario.SessionNs / Time.NanosPerMilli);
        var list = new List<IHostObserver>
        {
            new PerfStatObserver(Path.Combine(dir, "perf-stat.csv"), _scenario.SessionStartNs, _options.PerfStatIntervalMs, setup.Mode),
            new TracepointCountObserver(Path.Combine(dir, "perf-stat-tracepoints.csv"), setup, _scenario.SessionStartNs, _options.PerfStatIntervalMs),
            new SnapshotObserver(dir, setup, _scenario.SessionStartNs, _options.SnapshotSeconds * 1000),
            new TraceObserver(Path.Combine(dir, "traces"), setup, _seed, _options.TraceWindowMs, sessionMs, _scenario.Physics.PacketBytes),
        };
        return list;
    }

    public IReadOnlyList<string> Finish(SimulationResult result, IReadOnlyList<HostSetup> setups)
    {
        File.WriteAllText(Path.Combine(Dir, "scenario.json"), JsonSerializer.Serialize(new ScenarioFileDto(_scenario, _seed), Json) + "\n");
        var inventory = result.Hosts.Select(h => new Dictionary<string, object?>
        {
            ["host"] = h.Host,
            ["pool"] = h.Pool,
            ["device"] = h.Device,
            ["nic_model"] = h.NicModel,
            ["driver"] = h.Driver,
            ["driver_version"] = h.DriverVersion,
            ["kernel"] = h.Kernel,
            ["iommu_mode"] = h.IommuMode.Name(),
            ["numa_node"] = h.NumaNode,
            ["cpu_numa_node"] = h.CpuNumaNode,
            ["fingerprint"] = h.Fingerprint,
            ["valid_from_ns"] = h.ValidFromNs,
            ["security_review"] = h.SecurityReview,
        }).ToArray();
        File.WriteAllText(Path.Combine(Dir, "inventory.json"), JsonSerializer.Serialize(inventory, Json) + "\n");
        foreach (var s in setups)
        {
            WriteEthtoolI(s);
        }
        WriteFix(result, setups);
        WriteParents(result);
        WriteMarket(result.Tapes);
        return Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Dir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private void WriteEthtoolI(HostSetup s)
    {
        var bus = $"0000:{0x3b + 0x80 * s.Info.NumaNode:x2}:00.0";
        var text = $"driver: {s.Info.Driver}\nversion: {s.Info.DriverVersion}\nfirmware-version: 22.36.1010 (MT_0000000436)\nexpansion-rom-version: \nbus-info: {bus}\nsupports-statistics: yes\nsupports-test: yes\nsupports-eeprom-access: no\nsupports-register-dump: no\nsupports-priv-flags: yes\n";
        File.WriteAllText(Path.Combine(HostDir(s.Name), $"ethtool-i.{s.Info.Device}.txt"), text);
    }

    private void WriteFix(SimulationResult result, IReadOnlyList<HostSetup> setups)
    {
        var dir = Path.Combine(Dir, "fix");
        Directory.CreateDirectory(dir);
        var specs = result.Specs;
        var byHost = result.Fix.GroupBy(e => e.Host).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var s in setups)
        {
            FixLogWriter.Write(Path.Combine(dir, s.Name + ".fix.log"), s.Name, byHost.GetValueOrDefault(s.Index) ?? [], specs, result.Tapes);
        }
    }

    private void WriteParents(SimulationResult result)
    {
        var dir = Path.Combine(Dir, "orders");
        Directory.CreateDirectory(dir);
        using var w = Open(Path.Combine(dir, "parent_orders.csv"));
        w.WriteLine("parent_id,symbol,side,qty,arrival_ts_ns,arrival_mid,deadline_ts_ns,strategy,host,pool,urgency");
        foreach (var p in result.Parents.Select(x => x.Order))
        {
            w.WriteLine(string.Join(',', Fmt.Csv(p.ParentId), Fmt.Csv(p.Symbol), p.Side.ToString(Fmt.Inv), p.Qty.ToString(Fmt.Inv),
                p.ArrivalTsNs.ToString(Fmt.Inv), Fmt.Px(p.ArrivalMid), p.DeadlineTsNs.ToString(Fmt.Inv), p.Strategy, Fmt.Csv(p.Host), Fmt.Csv(p.Pool), p.Urgency));
        }
    }

    private void WriteMarket(IReadOnlyList<MarketTape> tapes)
    {
        var dir = Path.Combine(Dir, "market");
        Directory.CreateDirectory(dir);
        using var q = Open(Path.Combine(dir, "market_quotes.csv"));
        using var t = Open(Path.Combine(dir, "market_trades.csv"));
        q.WriteLine("ts_ns,symbol,venue,bid_px,bid_size,ask_px,ask_size,exchange_ts_ns,seq");
        t.WriteLine("ts_ns,symbol,venue,px,size,condition,exchange_ts_ns,seq");
        foreach (var tape in tapes)
        {
            long lastQ = long.MinValue, lastT = long.MinValue;
            int seqQ = 0, seqT = 0;
            for (var i = 0; i < tape.Count; i++)
            {
                var ts = tape.TsAt(i);
                var stamp = ts.ToString(Fmt.Inv);
                if (tape.Kind(i) != MarketTape.Quote)
                {
                    seqT = ts == lastT ? seqT + 1 : 0;
                    lastT = ts;
                    t.WriteLine($"{stamp},{tape.Symbol},{tape.Venue},{Fmt.Px(tape.Px(tape.TradeTick(i)))},{tape.TradeSize(i).ToString(Fmt.Inv)},{(tape.Kind(i) == MarketTape.BuyTrade ? "B" : "S")},{stamp},{seqT.ToString(Fmt.Inv)}");
                }
                seqQ = ts == lastQ ? seqQ + 1 : 0;
                lastQ = ts;
                q.WriteLine($"{stamp},{tape.Symbol},{tape.Venue},{Fmt.Px(tape.Px(tape.Bid(i)))},{tape.BidSize(i).ToString(Fmt.Inv)},{Fmt.Px(tape.Px(tape.Ask(i)))},{tape.AskSize(i).ToString(Fmt.Inv)},{stamp},{seqQ.ToString(Fmt.Inv)}");
            }
        }
    }

    private static StreamWriter Open(string path) => new(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
}

/// <summary>What scenario.json holds: the scenario's parameters and the seed.</summary>
internal sealed record ScenarioFileDto(Scenario Scenario, long Seed);
