using CsCheck;
using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Fleet.Wire;

namespace DmaSlip.Fleet.Tests;

public sealed class FleetCodecTests
{
    private static readonly Gen<double> FiniteDouble = Gen.Double[-1e12, 1e12];

    private static readonly Gen<double?> OptionalDouble = FiniteDouble.Nullable();

    // Burst quantiles are null on counter-only frames (NaN on the wire), so a burst value is a number or null.
    private static readonly Gen<double?> OptionalBurst = FiniteDouble.Nullable();

    private static readonly Gen<HostFrame> Frame =
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Gen.Int[0, 64], Gen.Long, FiniteDouble.Array[3], OptionalBurst.Array[3], OptionalDouble.Array[11], Gen.Long[0, long.MaxValue])
            .Select(t => new HostFrame("h-1", t.Item1, t.Item2, t.Item3, 100_000_000, t.Item4[0], t.Item5[0], t.Item5[1], t.Item5[2], t.Item4[1], t.Item4[2],
                t.Item6[0], t.Item6[1], t.Item6[2], t.Item6[3], t.Item6[4], t.Item6[5], t.Item6[6], t.Item6[7], t.Item6[8], t.Item6[9], t.Item6[10], t.Item7));

    private static readonly Gen<FrameBatch> Batch =
        Gen.Select(Gen.ULong, Gen.Long, Gen.Int[0, 3], Gen.Double.Array[3], Frame.List[0, 16])
            .Select(t => new FrameBatch("h-1", "pool_a", "boot-7", t.Item1, t.Item2, (Regime)t.Item3,
                new RegimeSignals(t.Item4[0], t.Item4[1], t.Item4[2], 2, 0.5), t.Item5));

    [Fact]
    public void Every_frame_batch_decodes_to_what_was_encoded()
    {
        Batch.Sample(b =>
        {
            Assert.True(FleetCodec.TryDecode(FleetCodec.Encode(b), out FrameBatch? back, out var error), error.ToString());
            Assert.Equal(b with { Frames = [] }, back! with { Frames = [] });
            Assert.Equal(b.Frames, back!.Frames);
        });
    }

    [Theory]
    [InlineData(double.NegativeInfinity, null, 100_000_000L, "NaN or infinite")]
    [InlineData(double.PositiveInfinity, null, 100_000_000L, "NaN or infinite")]
    [InlineData(1.0, double.NegativeInfinity, 100_000_000L, "NaN or infinite")]
    [InlineData(1.0, null, -100_000_000L, "is not a window")]
    [InlineData(1.0, null, 0L, "is not a window")]
    public void A_frame_with_a_non_finite_value_or_no_window_does_not_decode_and_says_why(double flush, double? optional, long window, string reason)
    {
        var f = new HostFrame("h-1", "eth0", 0, 1_000, window, flush, 1, 2, 3, 4, 5, optional, null, null, null, null, null, null, null, null, null, null, 7);
        var b = new FrameBatch("h-1", "pool_a", "boot", 1, 2, Regime.MapStable, new RegimeSignals(1, 0, 0, 0, 0), [f]);
        Assert.False(FleetCodec.TryDecode(FleetCodec.Encode(b), out FrameBatch? _, out var error));
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_without_an_invalidation_source_keeps_its_null_rates_on_the_wire()
    {
        var f = new HostFrame("vm", "eth0", 0, 1_000, 100_000_000, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, 3);
        var b = new FrameBatch("vm", "pool_a", "boot", 1, 2, Regime.MapStable, new RegimeSignals(0, 0, 0, 0, 0), [f]);
        Assert.True(FleetCodec.TryDecode(FleetCodec.Encode(b), out FrameBatch? back, out var error), error.ToString());
        var g = Assert.Single(back!.Frames);
        Assert.Equal(((double?)null, (double?)null, (double?)null, 3L), (g.FlushRate, g.MapRate, g.UnmapRate, g.Events));
    }

    [Fact]
    public void A_regime_change_round_trips()
    {
        var c = new RegimeChange("h9", "p1", "b", 3, 42, new RegimeTransition("h9", 1_000, Regime.PressureWatch, Regime.FlushStorm, "DFI 81 >= 70"), new RegimeSignals(81, 0.4, 0.2, 1, 0));
        Assert.True(FleetCodec.TryDecode(FleetCodec.Encode(c), out RegimeChange? back, out _));
        Assert.Equal(c, back);
        Assert.Equal("h9/b/r3", back!.MessageId);
    }

    [Fact]
    public void Truncated_or_garbled_messages_fail_with_a_reason_and_never_throw()
    {
        var bytes = FleetCodec.Encode(new FrameBatch("h1", "p", "b", 1, 2, Regime.MapStable, default, FrameFiles.Frames("h1", 2, 1)));
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.False(FleetCodec.TryDecode(bytes.AsSpan(0, n), out FrameBatch? _, out var error));
            Assert.False(string.IsNullOrEmpty(error.Reason));
            Assert.InRange(error.Offset, 0, n);
        }
        Gen.Byte.Array[0, 400].Sample(garbage =>
        {
            _ = FleetCodec.TryDecode(garbage, out FrameBatch? _, out _);
            _ = FleetCodec.TryDecode(garbage, out RegimeChange? _, out _);
        });
        Assert.False(FleetCodec.TryDecode([.. bytes, 0], out FrameBatch? _, out var trailing));
        Assert.Contains("trailing", trailing.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_and_pool_names_must_be_single_subject_tokens()
    {
        Assert.True(FleetNames.IsValidToken("trade-07_a"));
        Assert.False(FleetNames.IsValidToken("a.b"));
        Assert.False(FleetNames.IsValidToken("a*"));
        Assert.False(FleetNames.IsValidToken("a>"));
        Assert.False(FleetNames.IsValidToken(""));
        Assert.Equal("dmaslip.frames.p1.h1", FleetNames.FramesSubject("p1", "h1"));
    }
}
