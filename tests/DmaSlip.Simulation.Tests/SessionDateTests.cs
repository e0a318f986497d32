using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Tests;

public sealed class SessionDateTests
{
    private static readonly Scenario Small = Scenarios.Calm with { Minutes = 4, Execution = new ExecutionSpec { Parents = 30, MinDurationSeconds = 20, MaxDurationSeconds = 60 } };

    [Fact]
    public void Another_date_gives_distinct_ids_and_shifts_every_timestamp_by_whole_days()
    {
        var a = Simulator.Run(Small, 3);
        var moved = Small.OnDate(new DateOnly(2013, 10, 9));
        Assert.Equal(Small.SessionStartNs + (2 * Time.NanosPerDay), moved.SessionStartNs);
        var b = Simulator.Run(moved, 3);

        Assert.Equal("P20131007-000001", a.Parents[0].Order.ParentId);
        Assert.Equal("P20131009-000001", b.Parents[0].Order.ParentId);
        Assert.Empty(a.Parents.Select(p => p.Order.ParentId).Intersect(b.Parents.Select(p => p.Order.ParentId)));
        Assert.Equal(a.Parents.Count, b.Parents.Count);
        for (var i = 0; i < a.Parents.Count; i++)
        {
            // Same seed: the same order flow, two days later.
            Assert.Equal(a.Parents[i].Order.ArrivalTsNs + (2 * Time.NanosPerDay), b.Parents[i].Order.ArrivalTsNs);
            Assert.Equal(a.Parents[i].Order.Qty, b.Parents[i].Order.Qty);
        }
        Assert.True(b.Quotes().All(q => q.TsNs >= moved.SessionStartNs && q.TsNs <= moved.SessionEndNs));
    }

    [Fact]
    public void The_time_of_day_is_kept()
    {
        var s = Scenarios.Storm.OnDate(new DateOnly(2024, 2, 29));
        Assert.Equal(Time.FromDate(2024, 2, 29) + (13 * Time.NanosPerHour) + (30 * Time.NanosPerMinute), s.SessionStartNs);
    }
}
