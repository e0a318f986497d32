namespace DmaSlip.Ingest.Internal;

/// <summary>
/// The snapshot framing contract: a series of snapshots (ethtool -S, softnet_stat, dmar_perf_latency,
/// /proc/interrupts) in one file is separated by a line holding only a Unix timestamp in seconds with up to 9
/// fraction digits — what <c>date +%s.%N</c> prints. A file without such a line is one snapshot, timed by --ts or
/// the file's mtime.
/// </summary>
internal static class Snapshots
{
    public static bool IsTimestampLine(ReadOnlySpan<byte> trimmed) => TryTimestamp(trimmed, out _);

    public static bool TryTimestamp(ReadOnlySpan<byte> trimmed, out long ns)
    {
        ns = 0;
        // at least 9 integer digits: a seconds-since-1970 value of this century, not a small counter value
        var dot = trimmed.IndexOf((byte)'.');
        var whole = dot < 0 ? trimmed.Length : dot;
        return whole is >= 9 and <= 11 && Ascii.TrySecondsToNs(trimmed, out ns);
    }
}
