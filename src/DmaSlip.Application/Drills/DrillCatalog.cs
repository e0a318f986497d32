using DmaSlip.Core.Control;

namespace DmaSlip.Application.Drills;

/// <summary>The drills of <c>dmaslip drill</c>, in the order <c>all</c> runs them.</summary>
internal static class DrillCatalog
{
    /// <summary>
    /// Every drill; flush-burst-replay replays <paramref name="burst"/> (default: the simulator's storm-onset
    /// recording, <see cref="BurstRecordings.SimulatorOnset"/>).
    /// </summary>
    public static IReadOnlyList<IDrill> All(RegimeControllerConfig config, Func<DrillContext, BurstRecording>? burst = null) =>
    [
        new FlushBurstReplayDrill(burst ?? BurstRecordings.SimulatorOnset, config),
        new StormContainmentDrill(),
        new ConfounderSeparationDrill(config),
        new FallbackPathDrill(config),
    ];

    /// <summary>
    /// The drills <paramref name="name"/> selects; <paramref name="recording"/> (a folder, with an optional
    /// <paramref name="onset"/>) replaces flush-burst-replay's default recording.
    /// </summary>
    public static IReadOnlyList<IDrill> Select(string name, RegimeControllerConfig config, string? recording = null, string? onset = null)
    {
        if (onset is not null && recording is null)
        {
            throw new UsageException("--onset needs --recording DIR");
        }
        if (recording is not null && !Directory.Exists(recording))
        {
            throw new InputException($"--recording '{recording}' is not a folder");
        }
        if (recording is not null && onset is null && !Directory.Exists(Path.Combine(recording, "truth")))
        {
            throw new UsageException($"--recording '{recording}' has no truth/: give the burst's onset with --onset (UTC time or ns since the epoch)");
        }
        var onsetNs = onset is null ? (long?)null : BurstRecordings.ParseOnset(onset);
        var all = All(config, recording is null ? null : ctx => BurstRecordings.FromFolder(recording, onsetNs, ctx));
        if (string.Equals(name, "all", StringComparison.OrdinalIgnoreCase))
        {
            return all;
        }
        var d = all.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
        return d is null
            ? throw new UsageException($"unknown drill '{name}' (expected all, {string.Join(", ", all.Select(x => x.Name))})")
            : [d];
    }
}
