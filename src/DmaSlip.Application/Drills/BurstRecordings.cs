using System.Globalization;
using DmaSlip.Application.Analysis;
using DmaSlip.Application.Ingest;
using DmaSlip.Application.Simulate;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Ingest;
using DmaSlip.Simulation;
using DmaSlip.Storage;

namespace DmaSlip.Application.Drills;

/// <summary>
/// Recorded flush bursts for flush-burst-replay, read through the path a user's data takes: the recording's
/// real-format files are ingested into a scratch store, <c>features</c> builds the host frames (counter streams all
/// along, trace columns where a capture covers a window) and the exec frames (decision-to-send p99 from the FIX logs),
/// and the drill replays those frames through the one <c>HostSignalPipeline</c>. No frame is synthesised.
/// </summary>
internal static class BurstRecordings
{
    /// <summary>Minutes of the simulator's recording and its storm onset (the controller's 60 s warm-up, then 15 s of calm).</summary>
    public const double RecordingMinutes = 2, OnsetMinute = 1.25, StormMinutes = 0.5;

    /// <summary>
    /// The simulator's storm-onset recording: one strict-mode host of the storm scenario, a storm from minute 1.25 for half a
    /// minute (after the controller's 60 s warm-up), simulated into the drill's work folder (real-format files and truth/) and read back like a user's.
    /// The onset is the first storm window of the simulator's truth (truth_windows).
    /// </summary>
    public static BurstRecording SimulatorOnset(DrillContext context)
    {
        var dir = Path.Combine(context.WorkDir, "recording");
        var pool = Scenarios.Storm.Pools.Single(p => p.Name == "pool-b") with { Hosts = 1 };
        var scenario = Scenarios.Storm with
        {
            Name = "flush-burst-onset",
            Minutes = RecordingMinutes,
            Pools = [pool],
            Storms = [Scenarios.Storm.Storms[0] with { StartMinute = OnsetMinute, DurationMinutes = StormMinutes }],
        };
        SimulationRunner.Run(scenario, context.Seed, dir, FixedPolicyProvider.Panic);
        return FromFolder(dir, null, context, $"simulator storm-onset recording (strict host, seed {context.Seed}) through ingest → features");
    }

    /// <summary>
    /// A recorded folder (a user's, or the simulator's): one host's real-format telemetry, FIX logs optional. The onset
    /// is <paramref name="onsetNs"/> when given, else the first storm window of the folder's truth/; a recording with
    /// neither, or with several hosts and no truth to pick one, is refused (<see cref="UsageException"/>).
    /// </summary>
    public static BurstRecording FromFolder(string dir, long? onsetNs, DrillContext context, string? source = null)
    {
        if (!Directory.Exists(dir))
        {
            throw new InputException($"recording '{dir}' is not a folder");
        }
        using var store = ScratchStore.Ingested(dir, Path.Combine(context.WorkDir, "recording.duckdb"));
        var hosts = store.Sql<string>("SELECT DISTINCT host FROM host_frames ORDER BY host");
        if (hosts.Count == 0)
        {
            throw new InputException($"recording '{dir}': no host frames (it needs per-CPU perf stat tracepoint counts and /proc/interrupts, or a trace capture)");
        }
        var truth = store.Sql<StormOnset>("SELECT host, min(window_start_ns) AS onset_ns FROM truth_windows WHERE pressure_state = 'storm' GROUP BY host ORDER BY 2, 1 LIMIT 1");
        string host;
        if (truth.Count > 0 && hosts.Contains(truth[0].Host))
        {
            host = truth[0].Host;
            onsetNs ??= truth[0].OnsetNs;
        }
        else if (hosts.Count == 1)
        {
            host = hosts[0];
        }
        else
        {
            throw new UsageException($"recording '{dir}' holds {hosts.Count} hosts ({string.Join(", ", hosts)}) and no truth to pick the burst's: keep one host's files");
        }
        if (onsetNs is not { } onset)
        {
            throw new UsageException($"recording '{dir}' has no truth/: give the burst's onset with --onset (UTC time or ns since the epoch)");
        }
        var p = new Dictionary<string, object?> { ["h"] = host };
        var frames = store.Query<HostFrame>("host = $h", "window_start_ns, device, queue", p).ToList();
        var p99 = store.Sql<WindowP99>("SELECT window_start_ns + window_ns AS end_ns, CAST(max(decision_to_send_p99_ns) AS DOUBLE) AS p99_ns FROM exec_frames WHERE host = $h AND decision_to_send_p99_ns IS NOT NULL GROUP BY 1 ORDER BY 1", p)
            .Select(r => (r.EndNs, r.P99Ns)).ToList();
        return new BurstRecording(source ?? $"recording {Path.GetFullPath(dir)} through ingest → features", host, onset, frames, p99);
    }

    /// <summary>An onset as given on the command line: ns since the epoch, or an ISO-8601 time (UTC unless it says otherwise).</summary>
    public static long ParseOnset(string text)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ns))
        {
            return ns;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        }
        throw new UsageException($"--onset '{text}': expected ns since the epoch or an ISO-8601 time such as 2026-01-05T14:03:00.250Z");
    }

    /// <summary>The first storm window of the simulator's truth, per host.</summary>
    private sealed record StormOnset(string Host, long OnsetNs);

    /// <summary>The worst decision→send p99 of the exec frames closing at one time.</summary>
    private sealed record WindowP99(long EndNs, double P99Ns);
}
