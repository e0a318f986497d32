using CsCheck;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Fleet.Wire;

namespace DmaSlip.Fleet.Tests;

public sealed class FleetCodecTests
{
    private static readonly Gen<double> FiniteDouble = Gen.Double[-1e12, 1e12];

    private static readonly Gen<double?> OptionalDouble = FiniteDouble.Nullable();

    private static readonly Gen<HostFrame> Frame =
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Gen.Int[0, 64], Gen.Long, OptionalDouble.Array[3], OptionalDouble.Array[3], OptionalDouble.Array[11], Gen.Long[0, long.MaxValue])
            .Select(t => new HostFrame("h-1", t.Item1, t.Item2, t.Item3, 100_000_000, t.Item4[0], t.Item5[0], t.Item5[1], t.Item5[2], t.Item4[1], t.Item4[2],
                t.Item6[0], t.Item6[1], t.Item6[2], t.Item6[3], t.Item6[4], t.Item6[5], t.Item6[6], t.Item6[7], t.Item6[8], t.Item6[9], t.Item6[10], t.Item7));

    // a signal: a number (any double: a non-finite one has no number to send) or missing for one of the reasons
    private static readonly Gen<SignalValue> Signal =
        Gen.OneOf(Gen.Double.Select(SignalValue.Of), Gen.Int[1, 3].Select(g => SignalValue.Missing((SignalGap)g)));

    private static readonly Gen<FrameBatch> Batch =
        Gen.Select(Gen.ULong, Gen.Long, Gen.Int[0, 3], Signal.Array[3], Frame.List[0, 16])
            .Select(t => new FrameBatch("h-1", "pool_a", "boot-7", t.Item1, t.Item2, (Regime)t.Item3,
                new HostSignals(t.Item4[0], t.Item4[1], t.Item4[2], 2, 0.5), t.Item5));

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
    [InlineData(double.NaN, null, 100_000_000L, "NaN or infinite")]
    [InlineData(double.NegativeInfinity, null, 100_000_000L, "NaN or infinite")]
    [InlineData(double.PositiveInfinity, null, 100_000_000L, "NaN or infinite")]
    [InlineData(1.0, double.NegativeInfinity, 100_000_000L, "NaN or infinite")]
    [InlineData(1.0, null, -100_000_000L, "is not a window")]
    [InlineData(1.0, null, 0L, "is not a window")]
    public void A_frame_with_a_non_finite_value_or_no_window_does_not_decode_and_says_why(double flush, double? optional, long window, string reason)
    {
        var f = new HostFrame("h-1", "eth0", 0, 1_000, window, flush, 1, 2, 3, 4, 5, optional, null, null, null, null, null, null, null, null, null, null, 7);
        var b = new FrameBatch("h-1", "pool_a", "boot", 1, 2, Regime.MapStable, HostSignals.WarmingUp, [f]);
        Assert.False(FleetCodec.TryDecode(FleetCodec.Encode(b), out FrameBatch? _, out var error));
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_without_an_invalidation_source_keeps_its_null_rates_on_the_wire()
    {
        var f = new HostFrame("vm", "eth0", 0, 1_000, 100_000_000, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, 3);
        var signals = new HostSignals(SignalValue.Missing(SignalGap.NoSource), SignalValue.Missing(SignalGap.NoSource), SignalValue.Of(0.4), 0, 0);
        var b = new FrameBatch("vm", "pool_a", "boot", 1, 2, Regime.MapStable, signals, [f]);
        Assert.True(FleetCodec.TryDecode(FleetCodec.Encode(b), out FrameBatch? back, out var error), error.ToString());
        var g = Assert.Single(back!.Frames);
        Assert.Equal(((double?)null, (double?)null, (double?)null, 3L), (g.FlushRate, g.MapRate, g.UnmapRate, g.Events));
        Assert.Equal(signals, back.Signals);
        Assert.Equal("no flush source", back.Signals.Dfi.Reason("dfi"));
    }

    [Fact]
    public void A_wire_v1_batch_still_decodes_with_its_NaN_rates_and_signals_as_null()
    {
        // wire v1 as docs/FLEET.md gives it, written field by field here (not by the codec, which writes v2)
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            void Str(string v)
            {
                w.Write((ushort)Encoding.UTF8.GetByteCount(v));
                w.Write(Encoding.UTF8.GetBytes(v));
            }
            w.Write("DSFB"u8);
            w.Write((byte)1);
            Str("vm");
            Str("pool_a");
            Str("live-1");
            w.Write(7UL);
            w.Write(123L);
            w.Write((byte)Regime.PressureWatch);
            foreach (var v in new[] { double.NaN, 0.25, double.NaN })
            {
                w.Write(v); // dfi, djs, pso
            }
            w.Write(1); // storm recurrence
            w.Write(0.0); // deadline pressure
            w.Write((ushort)1);
            Str("eth0");
            w.Write(2);
            w.Write(1_000L);
            w.Write(100_000_000L);
            foreach (var v in new[] { double.NaN, double.NaN, double.NaN, double.NaN, 40.0, double.NaN })
            {
                w.Write(v); // flush rate, burst q50/q95/q99, map rate, unmap rate
            }
            w.Write((ushort)0b100_0000_0000); // only the last optional feature (TX cadence CV)
            w.Write(0.5);
            w.Write(9L);
        }

        Assert.True(FleetCodec.TryDecode(ms.ToArray(), out FrameBatch? back, out var error), error.ToString());
        Assert.Equal(("vm", "pool_a", 7UL, Regime.PressureWatch), (back!.Host, back.Pool, back.Sequence, back.Regime));
        Assert.Equal(new HostSignals(SignalValue.Missing(SignalGap.Unknown), SignalValue.Of(0.25), SignalValue.Missing(SignalGap.Unknown), 1, 0), back.Signals);
        var f = Assert.Single(back.Frames);
        Assert.Equal(new HostFrame("vm", "eth0", 2, 1_000, 100_000_000, null, null, null, null, 40, null,
            null, null, null, null, null, null, null, null, null, null, 0.5, 9), f);
    }

    [Fact]
    public void This_build_writes_wire_v2_and_refuses_a_version_it_does_not_know()
    {
        var bytes = FleetCodec.Encode(TestBatches.Batch("h1", "p", 1));
        Assert.Equal(2, bytes[4]);
        bytes[4] = 3;
        Assert.False(FleetCodec.TryDecode(bytes, out FrameBatch? _, out var error));
        Assert.Contains("unsupported version 3 (this build reads 1–2)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regime_change_round_trips()
    {
        var c = new RegimeChange("h9", "p1", "b", 3, 42, new RegimeTransition("h9", 1_000, Regime.PressureWatch, Regime.FlushStorm, "DFI 81 >= 70"),
            new HostSignals(SignalValue.Of(81), SignalValue.Missing(SignalGap.NoSource), SignalValue.Of(0.2), 1, 0));
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
