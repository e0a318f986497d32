namespace DmaSlip.Core.Attribution;

/// <summary>Symbol-liquidity buckets by median quoted spread (bps of mid): tight &lt; 2, normal &lt; 10, wide otherwise.</summary>
public static class LiquidityBuckets
{
    public const double TightBelowBps = 2;
    public const double NormalBelowBps = 10;

    public static string Of(double medianSpreadBps) =>
        double.IsNaN(medianSpreadBps) ? "unknown" : medianSpreadBps < TightBelowBps ? "tight" : medianSpreadBps < NormalBelowBps ? "normal" : "wide";
}

/// <summary>
/// Flush-pressure buckets of a parent's life by the mean DFI of its host's windows: calm &lt; 25 ≤ elevated &lt; 50 ≤
/// high &lt; 80 ≤ storm; "unknown" when the host has no frames in that time.
/// </summary>
public static class PressureBuckets
{
    public const double ElevatedFrom = 25;
    public const double HighFrom = 50;
    public const double StormFrom = 80;

    /// <summary>The bucket of a mean DFI (null = no frames: <see cref="PressureBucket.Unknown"/>).</summary>
    public static PressureBucket Bucket(double? meanDfi) => meanDfi switch
    {
        null => PressureBucket.Unknown,
        < ElevatedFrom => PressureBucket.Calm,
        < HighFrom => PressureBucket.Elevated,
        < StormFrom => PressureBucket.High,
        _ => PressureBucket.Storm,
    };

    /// <summary>The bucket's stable text name, as stored in <c>parent_outcomes.pressure_bucket</c>.</summary>
    public static string Name(this PressureBucket b) => b switch
    {
        PressureBucket.Calm => "calm",
        PressureBucket.Elevated => "elevated",
        PressureBucket.High => "high",
        PressureBucket.Storm => "storm",
        _ => "unknown",
    };

    /// <summary>The bucket of a stable text name (<see cref="Name"/>); false for any other text.</summary>
    public static bool TryParse(string? name, out PressureBucket bucket)
    {
        bucket = name switch
        {
            "calm" => PressureBucket.Calm,
            "elevated" => PressureBucket.Elevated,
            "high" => PressureBucket.High,
            "storm" => PressureBucket.Storm,
            _ => PressureBucket.Unknown,
        };
        return bucket != PressureBucket.Unknown || name == "unknown";
    }

    /// <summary>High or storm: the parents IUL and QDL count as "under pressure".</summary>
    public static bool IsPressure(this PressureBucket bucket) => bucket is PressureBucket.High or PressureBucket.Storm;
}

/// <summary>
/// Branch label of a parent order (DESIGN §4.3), first rule that holds: <c>flush-storm</c> when the host's DFI held ≥ 80
/// for 1 s during the parent's life (<see cref="PressureSummary.StormLevel"/>); <c>deadline-chase</c> when aggressive
/// fills in the last 20 % of [arrival, deadline] are ≥ 30 % of the executed quantity; <c>pressure-watch</c> when the
/// DFI held ≥ 50 for 200 ms (<see cref="PressureSummary.WatchLevel"/>); else <c>map-stable</c>. The storm comes first
/// because a storm makes parents chase: a parent slowed by it falls behind and crosses at its deadline, and labelling
/// it deadline-chase hid a quarter of recurring-storm's storm parents (docs/METRICS.md, "Pressure calibration"). Held, not peak: the
/// peak of a life of minutes is the worst of thousands of queue-windows and catches every market-data microburst
/// (docs/METRICS.md, "Pressure calibration").
/// </summary>
public static class BranchLabels
{
    public const string MapStable = "map-stable";
    public const string PressureWatch = "pressure-watch";
    public const string FlushStorm = "flush-storm";
    public const string DeadlineChase = "deadline-chase";

    public const double ChaseTailShare = 0.2;
    public const double ChaseQtyShare = 0.3;

    public static string Of(double? stormLevel, double? watchLevel, double chaseShare) =>
        stormLevel >= PressureBuckets.StormFrom ? FlushStorm
        : chaseShare >= ChaseQtyShare ? DeadlineChase
        : watchLevel >= PressureBuckets.HighFrom ? PressureWatch
        : MapStable;

    /// <summary>Share of executed quantity filled aggressively in the last 20 % of the parent's horizon.</summary>
    public static double ChaseShare(long arrivalTsNs, long deadlineTsNs, ReadOnlySpan<Fill> fills)
    {
        var tailFrom = deadlineTsNs - (long)((deadlineTsNs - arrivalTsNs) * ChaseTailShare);
        long total = 0;
        long chase = 0;
        foreach (var f in fills)
        {
            total += f.Qty;
            if (f.Liquidity == Domain.Liquidity.Aggressive && f.TsNs >= tailFrom)
            {
                chase += f.Qty;
            }
        }
        return total == 0 ? 0 : chase / (double)total;
    }
}
