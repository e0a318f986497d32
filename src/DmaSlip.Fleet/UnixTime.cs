namespace DmaSlip.Fleet;

/// <summary>Wall-clock reads at the edges of fleet mode (agents stamp messages; the service measures lag).</summary>
public static class UnixTime
{
    /// <summary>Now as ns since the Unix epoch (100 ns resolution).</summary>
    public static long Nanoseconds(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
    }
}
