using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation;

/// <summary>
/// Everything a simulation run is made of except the seed: the session, the market, the host pools and their
/// storms, venue latency shocks and the order flow. Built-in scenarios live in <see cref="Scenarios"/>; files are
/// read by <see cref="ScenarioFile"/>. <see cref="Validate"/> lists every problem at once.
/// </summary>
public sealed record Scenario
{
    public string Name { get; init; } = "custom";

    public string Description { get; init; } = "";

    /// <summary>Session start, UTC ns. Default 2013-10-07 13:30 UTC (09:30 New York), the day of the LEAN ticks.</summary>
    public long SessionStartNs { get; init; } = Time.FromDate(2013, 10, 7) + 13 * Time.NanosPerHour + 30 * Time.NanosPerMinute;

    public double Minutes { get; init; } = 30;

    public MarketSpec Market { get; init; } = new();

    public IReadOnlyList<PoolSpec> Pools { get; init; } = [new PoolSpec()];

    public IReadOnlyList<StormSpec> Storms { get; init; } = [];

    public IReadOnlyList<VenueShockSpec> VenueShocks { get; init; } = [];

    public ExecutionSpec Execution { get; init; } = new();

    public HostPhysics Physics { get; init; } = new();

    [System.Text.Json.Serialization.JsonIgnore]
    public long SessionNs => (long)Math.Round(Minutes * Time.NanosPerMinute);

    [System.Text.Json.Serialization.JsonIgnore]
    public long SessionEndNs => SessionStartNs + SessionNs;

    [System.Text.Json.Serialization.JsonIgnore]
    public int HostCount => Pools.Sum(p => p.Hosts);

    /// <summary>A copy with <paramref name="hosts"/> hosts spread over the pools in their current proportions (each pool keeps ≥ 1).</summary>
    public Scenario WithHosts(int hosts)
    {
        if (hosts < Pools.Count)
        {
            throw new ScenarioException([$"--hosts {hosts}: the scenario has {Pools.Count} pools and needs at least one host per pool"]);
        }
        var total = HostCount;
        var counts = Pools.Select(p => Math.Max(1, (int)Math.Floor((double)hosts * p.Hosts / total))).ToArray();
        for (var i = 0; counts.Sum() < hosts; i = (i + 1) % counts.Length)
        {
            counts[i]++;
        }
        for (var i = counts.Length - 1; counts.Sum() > hosts; i = (i - 1 + counts.Length) % counts.Length)
        {
            if (counts[i] > 1)
            {
                counts[i]--;
            }
        }
        return this with { Pools = Pools.Select((p, i) => p with { Hosts = counts[i] }).ToArray() };
    }

    /// <summary>A copy lasting <paramref name="minutes"/>; storms and shocks past the end are clipped by the run.</summary>
    public Scenario WithMinutes(double minutes) => this with { Minutes = minutes };

    /// <summary>The same session (time of day, length) on another date: distinct parent ids and timestamps, so several simulated days can share one database.</summary>
    public Scenario OnDate(DateOnly date)
    {
        var timeOfDay = ((SessionStartNs % Time.NanosPerDay) + Time.NanosPerDay) % Time.NanosPerDay;
        return this with { SessionStartNs = Time.FromDate(date.Year, date.Month, date.Day) + timeOfDay };
    }

    /// <summary>All problems with the parameters (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        if (!(Minutes > 0 && Minutes <= 24 * 60))
        {
            e.Add($"minutes must be in (0, 1440], got {Minutes}");
        }
        Market.Validate(e);
        if (Pools.Count == 0)
        {
            e.Add("pools: at least one pool is required");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Pools)
        {
            if (!names.Add(p.Name))
            {
                e.Add($"pools: duplicate pool name '{p.Name}'");
            }
            p.Validate(e);
        }
        foreach (var s in Storms)
        {
            if (!names.Contains(s.Pool))
            {
                e.Add($"storms: pool '{s.Pool}' is not one of the pools ({string.Join(", ", names)})");
            }
            s.Validate(e);
        }
        foreach (var v in VenueShocks)
        {
            v.Validate(e);
        }
        Execution.Validate(e);
        Physics.Validate(e);
        return e;
    }

    /// <summary>Throws <see cref="ScenarioException"/> listing every problem, or returns this scenario.</summary>
    public Scenario EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ScenarioException(errors);
    }
}

/// <summary>Where the market path comes from.</summary>
public sealed record MarketSpec
{
    /// <summary><c>synthetic</c> (queue-reactive book) or <c>lean</c> (replay of the real LEAN ticks).</summary>
    public string Source { get; init; } = "synthetic";

    /// <summary>Number of synthetic symbols (ignored for <c>lean</c>).</summary>
    public int Symbols { get; init; } = 4;

    /// <summary>Symbols to replay for <c>lean</c> (ibm, bac).</summary>
    public IReadOnlyList<string> LeanSymbols { get; init; } = ["IBM", "BAC"];

    /// <summary>Folder holding <c>&lt;sym&gt;/YYYYMMDD_{quote,trade}.zip</c>; default the checkout's <c>tests/data/lean-ticks</c>, found upward from the working folder.</summary>
    public string? LeanDir { get; init; }

    public double TickSize { get; init; } = 0.01;

    public int LotSize { get; init; } = 100;

    internal void Validate(List<string> e)
    {
        if (Source is not ("synthetic" or "lean"))
        {
            e.Add($"market.source must be 'synthetic' or 'lean', got '{Source}'");
        }
        if (Source == "synthetic" && Symbols is < 1 or > 500)
        {
            e.Add($"market.symbols must be in [1, 500], got {Symbols}");
        }
        if (Source == "lean" && LeanSymbols.Count == 0)
        {
            e.Add("market.lean_symbols: at least one symbol (IBM, BAC)");
        }
        if (!(TickSize > 0))
        {
            e.Add($"market.tick_size must be > 0, got {TickSize}");
        }
        if (LotSize < 1)
        {
            e.Add($"market.lot_size must be ≥ 1, got {LotSize}");
        }
    }
}

/// <summary>A pool of identical hosts (same NIC, driver, kernel, IOMMU mode).</summary>
public sealed record PoolSpec
{
    public string Name { get; init; } = "pool-a";

    public int Hosts { get; init; } = 2;

    public int Queues { get; init; } = 4;

    /// <summary><c>strict</c>, <c>lazy</c> or <c>passthrough</c>.</summary>
    public string IommuMode { get; init; } = "lazy";

    public string NicModel { get; init; } = "ConnectX-6 Dx";

    public string Driver { get; init; } = "mlx5_core";

    public string DriverVersion { get; init; } = "6.1.0-18-amd64";

    public string Kernel { get; init; } = "6.1.0-18-amd64";

    /// <summary>NUMA node of the NIC.</summary>
    public int NicNumaNode { get; init; }

    /// <summary>True when the NIC's buffers and IRQ CPUs sit on the other socket (the misplacement the fleet scenario shows).</summary>
    public bool NumaMisplaced { get; init; }

    /// <summary>A validated low-pressure pool that urgent flow may be routed to.</summary>
    public bool Validated { get; init; }

    /// <summary>Mean RX packets per second per queue (market data), before bursts.</summary>
    public double RxPps { get; init; } = 100_000;

    /// <summary>Mean TX packets per second per queue.</summary>
    public double TxPps { get; init; } = 2_000;

    /// <summary>Share of RX buffers the page pool recycles in calm operation (the rest are released and re-mapped).</summary>
    public double PagePoolRecycle { get; init; } = 0.98;

    /// <summary>Security review reference when the pool runs passthrough (an anti-pattern without one).</summary>
    public string? SecurityReview { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    internal IommuMode Mode => EnumText.TryParseIommuMode(IommuMode, out var m) ? m : Core.Domain.IommuMode.Lazy;

    internal void Validate(List<string> e)
    {
        var at = $"pools[{Name}]";
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'))
        {
            e.Add($"{at}.name must be non-empty without spaces or slashes");
        }
        if (Hosts is < 1 or > 256)
        {
            e.Add($"{at}.hosts must be in [1, 256], got {Hosts}");
        }
        if (Queues is < 1 or > 64)
        {
            e.Add($"{at}.queues must be in [1, 64], got {Queues}");
        }
        if (!EnumText.TryParseIommuMode(IommuMode, out _))
        {
            e.Add($"{at}.iommu_mode must be strict, lazy or passthrough, got '{IommuMode}'");
        }
        if (!(RxPps is >= 0 and <= 5_000_000))
        {
            e.Add($"{at}.rx_pps must be in [0, 5e6], got {RxPps}");
        }
        if (!(TxPps is >= 0 and <= 1_000_000))
        {
            e.Add($"{at}.tx_pps must be in [0, 1e6], got {TxPps}");
        }
        if (!(PagePoolRecycle is >= 0 and <= 1))
        {
            e.Add($"{at}.page_pool_recycle must be in [0, 1], got {PagePoolRecycle}");
        }
        if (NicNumaNode is < 0 or > 7)
        {
            e.Add($"{at}.nic_numa_node must be in [0, 7], got {NicNumaNode}");
        }
    }
}

/// <summary>
/// A flush storm on a pool: allocator churn (page-pool recycling breaks down) plus extra packet turnover, for a
/// window, optionally repeated. These are the processes the calm twin switches off.
/// </summary>
public sealed record StormSpec
{
    public string Pool { get; init; } = "pool-a";

    public double StartMinute { get; init; } = 10;

    public double DurationMinutes { get; init; } = 5;

    /// <summary>Share of RX buffers that are released and re-mapped during the storm (instead of recycled).</summary>
    public double ChurnShare { get; init; } = 0.9;

    /// <summary>
    /// Packet turnover multiplier during the storm (≥ 1). The default 6 (a market-data surge on top of allocator
    /// churn) saturates a strict-mode host: its rings overflow in the storm's gusts, which is what makes a storm cost.
    /// </summary>
    public double TurnoverMultiplier { get; init; } = 6;

    public int Repeat { get; init; } = 1;

    public double PeriodMinutes { get; init; } = 30;

    internal void Validate(List<string> e)
    {
        if (!(StartMinute >= 0))
        {
            e.Add($"storms[{Pool}].start_minute must be ≥ 0, got {StartMinute}");
        }
        if (!(DurationMinutes > 0))
        {
            e.Add($"storms[{Pool}].duration_minutes must be > 0, got {DurationMinutes}");
        }
        if (!(ChurnShare is >= 0 and <= 1))
        {
            e.Add($"storms[{Pool}].churn_share must be in [0, 1], got {ChurnShare}");
        }
        if (!(TurnoverMultiplier is >= 1 and <= 50))
        {
            e.Add($"storms[{Pool}].turnover_multiplier must be in [1, 50], got {TurnoverMultiplier}");
        }
        if (Repeat is < 1 or > 1000)
        {
            e.Add($"storms[{Pool}].repeat must be in [1, 1000], got {Repeat}");
        }
        if (Repeat > 1 && !(PeriodMinutes > DurationMinutes))
        {
            e.Add($"storms[{Pool}].period_minutes must exceed duration_minutes when repeat > 1");
        }
    }
}

/// <summary>A venue/network latency shock: the confounder that is not IOMMU pressure. Hits every host alike.</summary>
public sealed record VenueShockSpec
{
    public double StartMinute { get; init; } = 10;

    public double DurationMinutes { get; init; } = 3;

    /// <summary>Extra one-way latency at the peak of the shock, µs.</summary>
    public double ExtraLatencyUs { get; init; } = 800;

    internal void Validate(List<string> e)
    {
        if (!(StartMinute >= 0 && DurationMinutes > 0))
        {
            e.Add($"venue_shocks: start_minute must be ≥ 0 and duration_minutes > 0, got {StartMinute}/{DurationMinutes}");
        }
        if (!(ExtraLatencyUs is >= 0 and <= 1_000_000))
        {
            e.Add($"venue_shocks.extra_latency_us must be in [0, 1e6], got {ExtraLatencyUs}");
        }
    }
}

/// <summary>The parent-order flow and the execution engine's own settings (the policy may tighten them).</summary>
public sealed record ExecutionSpec
{
    public int Parents { get; init; } = 200;

    public long MinQty { get; init; } = 2_000;

    public long MaxQty { get; init; } = 20_000;

    public double MinDurationSeconds { get; init; } = 60;

    public double MaxDurationSeconds { get; init; } = 300;

    /// <summary>Share of parents run as POV (the rest TWAP).</summary>
    public double PovShare { get; init; } = 0.3;

    /// <summary>POV target participation.</summary>
    public double PovRate { get; init; } = 0.1;

    /// <summary>TWAP slice interval, seconds (stretched by the policy's pacing factor).</summary>
    public double SliceSeconds { get; init; } = 2;

    /// <summary>Behind-schedule share of the parent's quantity that triggers urgency crossing.</summary>
    public double CatchUpThreshold { get; init; } = 0.05;

    /// <summary>Share of parents with high urgency (they sweep the remainder at the deadline).</summary>
    public double HighUrgencyShare { get; init; } = 0.3;

    /// <summary>Replace-rate cap of the engine itself, per second per parent.</summary>
    public double MaxReplacesPerSecond { get; init; } = 20;

    /// <summary>
    /// Resilience of the far side after our own aggressive orders, seconds: the depth we took refills as
    /// e^(−t/τ) (transient impact in the spirit of Obizhaeva and Wang, 2013). 0 means the book refills at once
    /// (no self-impact). The value is an assumption; see docs/SIMULATOR.md.
    /// </summary>
    public double BookResilienceSeconds { get; init; } = 2;

    /// <summary>
    /// Permanent impact of our own aggressive fills, ticks per average level of depth taken: after a fill of q
    /// shares the parent sees every later price (quotes, trades at our level, the deadline mid) shifted by
    /// side·κ·q / depth ticks, rounded — the queue-reactive rule that a best queue taken out moves the price a tick for
    /// everyone, applied to our own orders. 0 (the default) keeps the tape exogenous, as replay backtesters do; the
    /// storm-containment drill, whose question is what our own bursts cost, runs with 1 (docs/SIMULATOR.md).
    /// </summary>
    public double PermanentImpactTicksPerLevel { get; init; }

    /// <summary>
    /// Stale-book protection: when the strategy detects a gap in its market-data feed (a dropped packet) it cancels
    /// its resting child and sends nothing new until the feed has recovered, then re-posts (at the back of the queue).
    /// </summary>
    public bool CancelOnGap { get; init; } = true;

    /// <summary>One-way venue latency, µs (host stack excluded).</summary>
    public double VenueLatencyUs { get; init; } = 40;

    /// <summary>Host stack send latency in calm operation, µs (decision to wire).</summary>
    public double StackLatencyUs { get; init; } = 8;

    internal void Validate(List<string> e)
    {
        if (Parents is < 0 or > 1_000_000)
        {
            e.Add($"execution.parents must be in [0, 1e6], got {Parents}");
        }
        if (MinQty < 1 || MaxQty < MinQty)
        {
            e.Add($"execution.min_qty/max_qty must satisfy 1 ≤ min ≤ max, got {MinQty}/{MaxQty}");
        }
        if (!(MinDurationSeconds >= 1 && MaxDurationSeconds >= MinDurationSeconds))
        {
            e.Add($"execution.min/max_duration_seconds must satisfy 1 ≤ min ≤ max, got {MinDurationSeconds}/{MaxDurationSeconds}");
        }
        if (!(PovShare is >= 0 and <= 1) || !(PovRate is > 0 and <= 1) || !(HighUrgencyShare is >= 0 and <= 1))
        {
            e.Add("execution.pov_share, high_urgency_share must be in [0, 1] and pov_rate in (0, 1]");
        }
        if (!(SliceSeconds > 0) || !(CatchUpThreshold is > 0 and <= 1) || !(MaxReplacesPerSecond > 0))
        {
            e.Add("execution.slice_seconds and max_replaces_per_second must be > 0, catch_up_threshold in (0, 1]");
        }
        if (!(BookResilienceSeconds is >= 0 and <= 3600))
        {
            e.Add($"execution.book_resilience_seconds must be in [0, 3600], got {BookResilienceSeconds}");
        }
        if (!(PermanentImpactTicksPerLevel is >= 0 and <= 10))
        {
            e.Add($"execution.permanent_impact_ticks_per_level must be in [0, 10], got {PermanentImpactTicksPerLevel}");
        }
        if (!(VenueLatencyUs >= 0) || !(StackLatencyUs >= 0))
        {
            e.Add("execution.venue_latency_us and stack_latency_us must be ≥ 0");
        }
    }
}

/// <summary>Invalid scenario parameters: every problem found, one per line.</summary>
public sealed class ScenarioException(IReadOnlyList<string> errors)
    : Exception("Invalid scenario:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(x => "  - " + x)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
