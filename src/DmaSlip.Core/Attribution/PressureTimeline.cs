using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Core.Attribution;

/// <summary>
/// A parent's view of its host's pressure over [from, to]: mean and peak DFI of the windows, and the highest DFI level
/// the host held for <see cref="PressureTimeline.StormHoldNs"/> (<see cref="StormLevel"/>) and for
/// <see cref="PressureTimeline.WatchHoldNs"/> (<see cref="WatchLevel"/>) with the run's last window in range. All null
/// without windows; a level is null when no run of that length ends in range.
/// </summary>
public readonly record struct PressureSummary(double? Mean, double? Peak, double? StormLevel, double? WatchLevel);

/// <summary>
/// DFI over time per host: for each window start the highest DFI over the host's devices and queues (a parent feels
/// its host's worst queue). Built from host frames and the hosts' baselines; queried by time range.
/// </summary>
public sealed class PressureTimeline
{
    /// <summary>
    /// How long DFI must hold a level for a storm label: 1 s, the controller's default <c>storm.dfi_only_confirm_ms</c>
    /// and the baseline's sustained run (<see cref="HostBaseline.SustainedWindows"/> × 100 ms). A storm is sustained;
    /// a market-data microburst lifts one or two windows.
    /// </summary>
    public const long StormHoldNs = 1_000_000_000;

    /// <summary>How long DFI must hold a level for a watch label: 200 ms, the controller's default <c>watch.confirm_ms</c>.</summary>
    public const long WatchHoldNs = 200_000_000;

    private readonly Dictionary<string, HostSeries> _hosts = new(StringComparer.Ordinal);

    public PressureTimeline(IEnumerable<HostFrame> frames, IReadOnlyDictionary<string, HostBaseline> baselines)
    {
        foreach (var g in frames.GroupBy(f => f.Host, StringComparer.Ordinal))
        {
            if (baselines.TryGetValue(g.Key, out var baseline))
            {
                Add(g.Key, g, baseline);
            }
        }
    }

    /// <summary>An empty timeline, filled a host at a time with <see cref="Add"/> (memory: one host's frames at a time).</summary>
    public PressureTimeline()
    {
    }

    /// <summary>Adds (or replaces) <paramref name="host"/>'s series from its frames and baseline.</summary>
    public void Add(string host, IEnumerable<HostFrame> frames, HostBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var byStart = new SortedDictionary<long, double>();
        long windowNs = 0;
        foreach (var f in frames)
        {
            windowNs = f.WindowNs;
            if (DeskMetrics.Dfi(f, baseline) is not { } dfi)
            {
                continue; // no invalidation source in this window: no pressure reading
            }
            byStart[f.WindowStartNs] = byStart.TryGetValue(f.WindowStartNs, out var d) ? Math.Max(d, dfi) : dfi;
        }
        long[] starts = [.. byStart.Keys];
        double[] dfis = [.. byStart.Values];
        _hosts[host] = new HostSeries(starts, dfis, windowNs, Held(starts, dfis, windowNs, StormHoldNs), Held(starts, dfis, windowNs, WatchHoldNs));
    }

    /// <summary>Mean and peak DFI and the held levels of <paramref name="host"/>'s windows overlapping [from, to].</summary>
    public PressureSummary Summary(string host, long fromNs, long toNs)
    {
        if (!_hosts.TryGetValue(host, out var h))
        {
            return default;
        }
        var i = Array.BinarySearch(h.Starts, fromNs - h.WindowNs + 1);
        i = i < 0 ? ~i : i;
        double sum = 0;
        var peak = double.NegativeInfinity;
        var storm = double.NegativeInfinity;
        var watch = double.NegativeInfinity;
        var n = 0;
        for (; i < h.Starts.Length && h.Starts[i] <= toNs; i++)
        {
            sum += h.Dfi[i];
            peak = Math.Max(peak, h.Dfi[i]);
            storm = Math.Max(storm, h.StormHeld[i]);
            watch = Math.Max(watch, h.WatchHeld[i]);
            n++;
        }
        return n == 0 ? default : new PressureSummary(sum / n, peak, Level(storm), Level(watch));
    }

    private static double? Level(double held) => double.IsNegativeInfinity(held) ? null : held;

    /// <summary>
    /// Per window: the lowest DFI over the run of consecutive windows (no gap) covering <paramref name="holdNs"/> that
    /// ends with it, i.e. the level held that long; −∞ when fewer consecutive windows precede it.
    /// </summary>
    internal static double[] Held(long[] starts, double[] dfi, long windowNs, long holdNs)
    {
        var k = (int)Math.Max(1, (holdNs + windowNs - 1) / Math.Max(1, windowNs));
        var held = new double[dfi.Length];
        // Monotone deque of indices with increasing DFI: the front is the minimum of the current run's last k windows.
        var deque = new int[dfi.Length];
        int head = 0, tail = 0, runStart = 0;
        for (var i = 0; i < dfi.Length; i++)
        {
            if (i > 0 && starts[i] - starts[i - 1] != windowNs)
            {
                runStart = i;
                head = tail = 0;
            }
            while (tail > head && dfi[deque[tail - 1]] >= dfi[i])
            {
                tail--;
            }
            deque[tail++] = i;
            if (deque[head] <= i - k)
            {
                head++;
            }
            held[i] = i - runStart + 1 >= k ? dfi[deque[head]] : double.NegativeInfinity;
        }
        return held;
    }

    private sealed record HostSeries(long[] Starts, double[] Dfi, long WindowNs, double[] StormHeld, double[] WatchHeld);
}
