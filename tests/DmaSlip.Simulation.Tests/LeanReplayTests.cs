using DmaSlip.Simulation.Market;
using DmaSlip.Testing;

namespace DmaSlip.Simulation.Tests;

public sealed class LeanReplayTests
{
    [Fact]
    public void Ibm_ticks_replay_as_a_consolidated_uncrossed_book_at_the_session_start()
    {
        var spec = new MarketSpec { Source = "lean" };
        var start = LeanReplay.OpenUtcNs;
        var tape = LeanReplay.Load(TestPaths.Data("lean-ticks"), "IBM", start, start + 30 * Core.Domain.Time.NanosPerMinute, spec);
        Assert.True(tape.Count > 1_000, $"{tape.Count} events");
        Assert.True(tape.TsAt(0) >= start);
        var trades = 0;
        for (var i = 0; i < tape.Count; i++)
        {
            Assert.True(tape.Bid(i) < tape.Ask(i), $"crossed at {i}");
            trades += tape.Kind(i) == MarketTape.Quote ? 0 : 1;
        }
        Assert.True(trades > 100);
        // IBM traded around $183–186 on 2013-10-07.
        Assert.InRange(tape.MidAt(start + 60 * Core.Domain.Time.NanosPerSecond), 175, 190);
    }

    [Fact]
    public void A_lean_scenario_runs_end_to_end()
    {
        var sc = Scenarios.Storm with
        {
            Minutes = 10,
            Market = new MarketSpec { Source = "lean", LeanSymbols = ["IBM", "BAC"], LeanDir = TestPaths.Data("lean-ticks") },
            Storms = [new StormSpec { Pool = "pool-b", StartMinute = 3, DurationMinutes = 4 }],
            Execution = new ExecutionSpec { Parents = 40 },
        };
        var r = Simulator.Run(sc, 2);
        Assert.Equal(40, r.Parents.Count);
        Assert.Contains(r.Parents, p => p.Order.Symbol == "BAC");
        Assert.All(r.Parents.Where(p => p.Order.Pool == "pool-a"), p => Assert.Equal(0.0, p.DeltaIsBps)); // no storm on pool-a
    }
}
