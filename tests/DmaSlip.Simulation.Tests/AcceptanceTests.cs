using DmaSlip.Testing;
using Xunit.Abstractions;

namespace DmaSlip.Simulation.Tests;

public sealed class AcceptanceTests(ITestOutputHelper output)
{
    /// <summary>Small but complete: 2 pools × 2 hosts × 4 queues, 20 minutes, the storm from minute 6 for 6 minutes.</summary>
    internal static readonly Scenario SmallStorm = Scenarios.Storm with
    {
        Minutes = 20,
        Storms = [new StormSpec { Pool = "pool-b", StartMinute = 6, DurationMinutes = 6 }],
        Execution = new ExecutionSpec { Parents = 240 },
    };

    [Fact]
    public void Storm_uplift_is_positive_and_concentrated_in_storm_windows()
    {
        var r = Simulator.Run(SmallStorm, 7);
        var storm = r.Parents.Where(p => p.InStorm).ToArray();
        var outside = r.Parents.Where(p => !p.InStorm).ToArray();
        var inMean = storm.Average(p => p.DeltaIsBps);
        var outMean = outside.Average(p => p.DeltaIsBps);
        output.WriteLine($"in storm {storm.Length}: mean delta {inMean:F4} bps; outside {outside.Length}: {outMean:F5} bps; storm send delay {storm.Average(p => p.MeanSendDelayUs):F1} us");
        Assert.True(storm.Length >= 20, $"too few parents in storm: {storm.Length}");
        Assert.True(inMean > 0, $"mean delta in storm {inMean}");
        Assert.True(inMean >= 3 * Math.Abs(outMean), $"in {inMean} vs outside {outMean}");
        Assert.All(r.TruthParents, t => Assert.Equal(t.IsBps - t.CalmIsBps, t.DeltaIsBps, 12));
    }

    [Theory]
    [InlineData("calm")]
    [InlineData("venue-shock")]
    public void Without_storm_processes_every_parent_has_exactly_zero_uplift(string name)
    {
        Assert.True(Scenarios.TryGet(name, out var sc));
        var r = Simulator.Run(sc with { Minutes = 20, Execution = new ExecutionSpec { Parents = 150 } }, 11);
        Assert.NotEmpty(r.TruthParents);
        Assert.All(r.TruthParents, t =>
        {
            Assert.Equal(0.0, t.DeltaIsBps);
            Assert.Equal(0.0, t.DeltaDelayBps);
            Assert.Equal(0.0, t.DeltaImpactBps);
            Assert.Equal(0.0, t.DeltaMissBps);
            Assert.False(t.InStorm);
        });
        if (name == "venue-shock")
        {
            // The shock is real: it moves outcomes of the parents it hits, in the real run and the twin alike.
            Assert.Contains(r.Parents, p => p.InVenueShock);
        }
    }

    [Fact]
    public void Same_seed_gives_byte_identical_outputs_and_another_seed_differs()
    {
        using var tmp = new TempDir();
        var sc = SmallStorm with { Minutes = 8, Storms = [new StormSpec { Pool = "pool-b", StartMinute = 2, DurationMinutes = 3 }], Execution = new ExecutionSpec { Parents = 60 } };
        var a = Simulator.Run(sc, 5, new SimulationOptions { OutputDir = tmp.File("a"), Parallelism = 2 });
        Simulator.Run(sc, 5, new SimulationOptions { OutputDir = tmp.File("b"), Parallelism = 1 });
        Simulator.Run(sc, 6, new SimulationOptions { OutputDir = tmp.File("c"), Parallelism = 2 });
        Assert.Contains("fix/pool-b-h01.fix.log", a.Files);
        // A host writes counters, snapshots and traces; the simulator's own frames are truth only.
        Assert.Contains("hosts/pool-b-h01/perf-stat-tracepoints.csv", a.Files);
        Assert.Contains("hosts/pool-b-h01/interrupts.txt", a.Files);
        Assert.Contains("truth/host_frames/pool-b-h01.csv", a.Files);
        Assert.DoesNotContain(a.Files, f => f.Contains("frames", StringComparison.Ordinal) && !f.StartsWith("truth/", StringComparison.Ordinal));
        Assert.Contains(a.Files, f => f.StartsWith("hosts/pool-b-h01/traces/storm-01", StringComparison.Ordinal));
        var differing = 0;
        foreach (var f in a.Files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(tmp.File("a"), f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(tmp.File("b"), f))), $"{f} differs between runs of one seed");
            var other = Path.Combine(tmp.File("c"), f);
            if (!File.Exists(other) || !File.ReadAllBytes(Path.Combine(tmp.File("a"), f)).AsSpan().SequenceEqual(File.ReadAllBytes(other)))
            {
                differing++;
            }
        }
        Assert.True(differing > a.Files.Count / 2, $"only {differing} of {a.Files.Count} files differ for another seed");
    }
}

public sealed class ControllerPolicyTests
{
    [Fact]
    public void The_regime_controller_sees_the_storm_and_leaves_calm_hosts_alone()
    {
        var r = Simulator.Run(AcceptanceTests.SmallStorm, 7, new SimulationOptions { Policy = new ControllerPolicyProvider() });
        Assert.Contains(r.Transitions, t => t.Host.StartsWith("pool-b", StringComparison.Ordinal) && t.To >= Core.Domain.Regime.PressureWatch);
        Assert.DoesNotContain(r.Transitions, t => t.Host.StartsWith("pool-a", StringComparison.Ordinal) && t.To >= Core.Domain.Regime.FlushStorm);
        Assert.All(r.Parents.Where(p => p.Order.Pool == "pool-a"), p => Assert.Equal(0.0, p.DeltaIsBps));
    }
}
