namespace DmaSlip.Simulation;

/// <summary>The built-in scenarios (<c>dmaslip simulate --scenario NAME</c>).</summary>
public static class Scenarios
{
    public static IReadOnlyList<string> Names { get; } = ["calm", "storm", "venue-shock", "storm+venue", "fleet", "recurring-storm"];

    private static PoolSpec Lazy(string name, int hosts = 2) => new() { Name = name, Hosts = hosts, IommuMode = "lazy" };

    /// <summary>A hardened pool: <c>iommu.strict=1</c> after a security review (the KSPP recommendation).</summary>
    private static PoolSpec Strict(string name, int hosts = 2) => new()
    {
        Name = name,
        Hosts = hosts,
        IommuMode = "strict",
        Kernel = "6.1.0-18-amd64 iommu.strict=1",
    };

    private static StormSpec StormOn(string pool, double start, double minutes) => new() { Pool = pool, StartMinute = start, DurationMinutes = minutes };

    public static Scenario Calm { get; } = new()
    {
        Name = "calm",
        Description = "Two lazy-mode pools, no storm processes, no venue shocks: the twin is the host itself.",
        Pools = [Lazy("pool-a"), Strict("pool-b")],
    };

    public static Scenario Storm { get; } = Calm with
    {
        Name = "storm",
        Description = "pool-b (strict mode) suffers a flush storm mid-session: page-pool recycling breaks down (90 % of buffers re-mapped) while packet turnover rises sixfold; its rings overflow in gusts.",
        Storms = [StormOn("pool-b", 10, 8)],
    };

    public static Scenario VenueShock { get; } = Calm with
    {
        Name = "venue-shock",
        Description = "No IOMMU pressure; a venue/network latency shock (+1.5 ms one-way) hits every host alike.",
        VenueShocks = [new VenueShockSpec { StartMinute = 10, DurationMinutes = 6, ExtraLatencyUs = 1_500 }],
    };

    public static Scenario StormAndVenue { get; } = Storm with
    {
        Name = "storm+venue",
        Description = "The storm of 'storm' plus a venue latency shock that overlaps its second half.",
        VenueShocks = [new VenueShockSpec { StartMinute = 14, DurationMinutes = 8, ExtraLatencyUs = 1_500 }],
    };

    public static Scenario Fleet { get; } = new()
    {
        Name = "fleet",
        Description = "Four pools: lazy, strict with storms, lazy with the NIC's buffers on the remote socket (and a storm), and a validated low-pressure pool for rerouting.",
        Pools =
        [
            Lazy("pool-a"),
            Strict("pool-b"),
            Lazy("pool-c") with { NumaMisplaced = true, NicNumaNode = 1 },
            Lazy("pool-safe") with { Validated = true, NicModel = "ConnectX-7", Kernel = "6.6.13-amd64", DriverVersion = "6.6.13-amd64" },
        ],
        Storms = [StormOn("pool-b", 8, 6), StormOn("pool-c", 18, 6) with { TurnoverMultiplier = 4 }],
        Execution = new ExecutionSpec { Parents = 400 },
    };

    public static Scenario RecurringStorm { get; } = Calm with
    {
        Name = "recurring-storm",
        Description = "pool-b storms every 8 minutes (3 minutes each) and parents have short deadlines and high urgency.",
        Storms = [StormOn("pool-b", 4, 3) with { Repeat = 3, PeriodMinutes = 8 }],
        Execution = new ExecutionSpec { MinDurationSeconds = 30, MaxDurationSeconds = 120, HighUrgencyShare = 0.5, Parents = 300 },
    };

    public static bool TryGet(string name, out Scenario scenario)
    {
        scenario = name.ToLowerInvariant() switch
        {
            "calm" => Calm,
            "storm" => Storm,
            "venue-shock" => VenueShock,
            "storm+venue" => StormAndVenue,
            "fleet" => Fleet,
            "recurring-storm" => RecurringStorm,
            _ => null!,
        };
        return scenario is not null;
    }
}
