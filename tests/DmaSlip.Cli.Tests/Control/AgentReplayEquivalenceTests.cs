using DmaSlip.Application.Control;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Agent;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests.Control;

/// <summary>
/// The fleet agent and <c>controller replay</c> run one host-signal pipeline: on the same recording they produce the
/// same transitions (time, from, to).
/// </summary>
public sealed class AgentReplayEquivalenceTests
{
    private const long WindowNs = 100 * Time.NanosPerMilli;
    private const int Queues = 4;
    private const long StartNs = 1_764_000_000L * Time.NanosPerSecond;

    [Fact]
    public async Task The_agent_replaying_a_recording_publishes_exactly_the_transitions_controller_replay_computes()
    {
        using var dir = new TempDir();
        // Calm, a storm on one queue from window 300 to 500, calm again until 1 200, then a second storm to 1 300.
        // Recorded as a collector records it (per-CPU perf stat tracepoint counts, /proc/interrupts); both sides read
        // it through ingest's parsers and the counter frame path.
        (int From, int To)[] storms = [(300, 500), (1200, 1300)];
        var hostDir = RecordingFiles.Write(dir.Path, "h1", 1400, Queues, (w, q) =>
        {
            var hot = q == 1 && storms.Any(s => w >= s.From && w < s.To);
            var noise = 1 + (0.05 * Math.Sin((w * 7) + q));
            return ((long)Math.Round((hot ? 1_200 : 100) * noise), (long)Math.Round(5_000 * noise));
        });
        var rejected = new List<string>();
        var frames = ReplayFrameSource.Build(hostDir, "h1", Core.Features.HostFrameOptions.Default, rejected);
        Assert.Empty(rejected);
        Assert.Equal(1400 * Queues, frames.Count);

        // The agent: its frame source over the recording and its tracker, exactly as FleetAgent.RunAsync drives them.
        var tracker = new ControllerRegimeTracker("h1", RegimeControllerConfig.Default);
        var source = new ReplayFrameSource(dir.Path, "h1", speed: 1e9, TimeProvider.System);
        var published = new List<RegimeTransition>();
        await foreach (var window in source.ReadAsync(CancellationToken.None))
        {
            if (tracker.Observe(window, out var t))
            {
                published.Add(t);
            }
        }

        // controller replay's default over the same frames from the store.
        using var store = DmaSlipStore.OpenInMemory();
        store.Insert(frames);
        var replay = ControllerRunner.Replay(store, "h1", RegimeControllerConfig.Default, ReplayBaseline.Agent).Single();

        Assert.True(published.Count >= 4, $"the recording must exercise the controller; got {published.Count} transitions");
        Assert.Contains(published, t => t.To == Regime.FlushStorm);
        Assert.Equal(published.Select(Key), replay.Transitions.Select(Key));
        Assert.Equal("warm-up 600 windows", replay.Baseline);
    }

    [Fact]
    public void Hindsight_is_an_explicit_choice_and_feeds_the_warm_up_windows_too()
    {
        var frames = Recording("h1", windows: 600, storms: [(20, 200)]);
        using var store = DmaSlipStore.OpenInMemory();
        store.Insert(frames);

        var agent = ControllerRunner.Replay(store, "h1", RegimeControllerConfig.Default, ReplayBaseline.Agent).Single();
        var hindsight = ControllerRunner.Replay(store, "h1", RegimeControllerConfig.Default, new ReplayBaseline(Hindsight: true)).Single();

        // A storm inside the agent's warm-up is part of its baseline: the agent cannot see it, hindsight can.
        Assert.DoesNotContain(agent.Transitions, t => t.TsNs < StartNs + 50 * WindowNs);
        Assert.Contains(hindsight.Transitions, t => t.To == Regime.FlushStorm && t.TsNs < StartNs + 200 * WindowNs);
        Assert.Equal("hindsight", hindsight.Baseline);
    }

    private static (long, Regime, Regime) Key(RegimeTransition t) => (t.TsNs, t.From, t.To);

    private static List<HostFrame> Recording(string host, int windows, (int From, int To)[] storms)
    {
        var frames = new List<HostFrame>(windows * Queues);
        for (var w = 0; w < windows; w++)
        {
            var storm = storms.Any(s => w >= s.From && w < s.To);
            for (var q = 0; q < Queues; q++)
            {
                var hot = storm && q == 1;
                var noise = 1 + (0.05 * Math.Sin((w * 7) + q));
                var flush = (hot ? 12_000 : 1_000) * noise;
                frames.Add(new HostFrame(host, "eth0", q, StartNs + (w * WindowNs), WindowNs, flush, hot ? 40 : 3, (hot ? 120 : 8) * noise,
                    hot ? 200 : 12, 50_000 * noise, 49_800 * noise, null, 900, hot ? 9_000 : 1_500, 2_000,
                    hot ? 30_000 : 4_000, 0.1, 4.5, 0.02, 0.97, hot ? 1.5 : 0.2, 0.15, 100_000 + w));
            }
        }
        return frames;
    }
}
