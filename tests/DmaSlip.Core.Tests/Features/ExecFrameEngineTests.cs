using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Core.Tests.Features;

public sealed class ExecFrameEngineTests
{
    private static readonly long T0 = Time.FromDate(2026, 1, 5);
    private const long Ms = Time.NanosPerMilli;
    private const long Us = Time.NanosPerMicro;

    private static OrderEvent Ev(long ts, OrderEventKind kind, string child, string clOrdId = "") =>
        new(ts, "P1", child, clOrdId == "" ? child : clOrdId, null, kind, 100, 100, "X", "h1", 0, Liquidity.Passive, "");

    [Fact]
    public void Worked_example_of_docs_metrics_exec_frame_is_reproduced()
    {
        var sink = new ListExecFrameSink();
        var engine = new ExecFrameEngine("h1", sink);
        engine.RegisterParent(new ParentOrder("P1", "AAA", 1, 1000, T0, 100, T0 + 60 * Time.NanosPerSecond, "twap", "h1", "a", "normal"));
        engine.ObserveQuote(new Quote(T0 + 10 * Ms, "AAA", "X", 99, 1, 101, 1, T0 + 9 * Ms, 0));
        engine.ObserveQuote(new Quote(T0 + 20 * Ms, "AAA", "X", 99, 1, 101, 1, T0 + 19 * Ms, 0));
        engine.ObserveQuote(new Quote(T0 + 35 * Ms, "AAA", "X", 99, 1, 101, 1, T0 + 29 * Ms, 0));
        long[] lat = [20 * Us, 40 * Us, 100 * Us];
        for (var i = 0; i < 3; i++)
        {
            var decided = T0 + (i + 1) * 100 * Ms;
            engine.Observe(Ev(decided, OrderEventKind.Decision, $"c{i}"));
            engine.Observe(Ev(decided + lat[i], OrderEventKind.Send, $"c{i}"));
        }
        engine.Observe(Ev(T0 + 400 * Ms, OrderEventKind.Cancel, "c0", "x1"));
        engine.Observe(Ev(T0 + 400 * Ms + 500 * Us, OrderEventKind.CancelAck, "c0", "x1"));
        engine.Observe(Ev(T0 + 1400 * Ms, OrderEventKind.Cancel, "c1", "x2"));
        engine.Observe(Ev(T0 + 1400 * Ms + 800 * Us, OrderEventKind.CancelAck, "c1", "x2"));
        engine.Flush();

        Assert.Equal(2, sink.Frames.Count);
        var f = sink.Frames[0];
        Assert.Equal(6.25e6, f.IngressGapVarianceUs2!.Value, 6);       // gap differences 0 and 5000 µs
        Assert.Equal(40_000, f.DecisionToSendP50Ns!.Value, 9);
        Assert.Equal(94_000, f.DecisionToSendP95Ns!.Value, 9);          // h = 1.9 → 40 + 0.9·60 µs
        Assert.Equal(98_800, f.DecisionToSendP99Ns!.Value, 9);
        Assert.Equal(-100_020_000.0 / 100_060_000.0, f.BurstIndex!.Value, 12); // gaps 100.02 and 100.06 ms: μ 100.04 ms, σ 20 µs
        Assert.Equal(94_000, f.PhaseErrorP95Ns!.Value, 9);             // errors 20, 40, 100 µs from the 100 ms grid
        Assert.Null(f.CancelAckDriftNs);                                 // no calm history yet
        Assert.Equal(3, f.Children);
        var g = sink.Frames[1];
        Assert.Equal(300_000, g.CancelAckDriftNs!.Value, 9);            // 800 µs − trailing calm median 500 µs
        Assert.Equal(0, g.Children);
        Assert.Null(g.DecisionToSendP50Ns);
    }

    [Fact]
    public void Windows_judged_not_calm_do_not_enter_the_trailing_calm_median()
    {
        var sink = new ListExecFrameSink();
        var engine = new ExecFrameEngine("h1", sink, isCalmWindow: start => start != T0 + Time.NanosPerSecond);
        engine.RegisterParent(new ParentOrder("P1", "AAA", 1, 1000, T0, 100, T0 + 60 * Time.NanosPerSecond, "twap", "h1", "a", "normal"));
        long[] acks = [500, 5000, 700];
        for (var i = 0; i < 3; i++)
        {
            var t = T0 + i * Time.NanosPerSecond;
            engine.Observe(Ev(t, OrderEventKind.Replace, "c", $"r{i}"));
            engine.Observe(Ev(t + acks[i] * Us, OrderEventKind.ReplaceAck, "c", $"r{i}"));
        }
        engine.Flush();
        Assert.Equal(4_500_000, sink.Frames[1].ReplaceAckDriftNs!.Value, 9);
        Assert.Equal(200_000, sink.Frames[2].ReplaceAckDriftNs!.Value, 9); // the storm window's 5 ms is not the reference
    }

    [Fact]
    public void Burst_index_is_minus_one_for_a_regular_grid_and_positive_for_clumped_dispatch()
    {
        Assert.Equal(-1, ExecFrameEngine.BurstIndex([10, 10, 10, 10])!.Value, 12);
        Assert.True(ExecFrameEngine.BurstIndex([1, 1, 1, 1, 1, 1, 1, 1, 1, 100])!.Value > 0);
        Assert.Null(ExecFrameEngine.BurstIndex([10]));
    }
}
