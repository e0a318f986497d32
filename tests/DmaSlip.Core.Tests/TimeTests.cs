using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests;

public sealed class TimeTests
{
    [Fact]
    public void Floor_of_a_window_is_the_start_of_the_window_for_negative_and_positive_times()
    {
        Assert.Equal(1_000_000_000, Time.FloorWindow(1_099_999_999, 100_000_000));
        Assert.Equal(-100, Time.FloorWindow(-1, 100));
        Assert.Equal(0, Time.FloorWindow(99, 100));
    }

    [Fact]
    public void A_calendar_date_round_trips_through_floor_day()
    {
        var day = Time.FromDate(2013, 10, 7);
        Assert.Equal(day, Time.FloorDay(day + 13 * Time.NanosPerHour));
        Assert.Equal("2013-10-07T13:00:00.000Z", Time.ToIso(day + 13 * Time.NanosPerHour));
    }

    [Fact]
    public void Enum_names_round_trip_through_their_parsers()
    {
        foreach (var r in Enum.GetValues<Regime>())
        {
            Assert.True(EnumText.TryParseRegime(r.Name(), out var back));
            Assert.Equal(r, back);
        }
        foreach (var k in Enum.GetValues<HostEventKind>())
        {
            Assert.True(EnumText.TryParseHostEventKind(k.Name(), out var back));
            Assert.Equal(k, back);
        }
        foreach (var k in Enum.GetValues<OrderEventKind>())
        {
            Assert.True(EnumText.TryParseOrderEventKind(k.Name(), out var back));
            Assert.Equal(k, back);
        }
        Assert.True(EnumText.TryParseIommuMode("DMA-FQ", out var m));
        Assert.Equal(IommuMode.Lazy, m);
    }
}
