using DmaSlip.Core.Domain;

namespace DmaSlip.Fleet.Agent;

/// <summary>
/// INTERIM adapter used by the agent until the features' RegimeSignals builder (#5) and the RegimeController (#7)
/// are on main; then <c>dmaslip agent</c> wires those instead and this class goes. It derives the signals from the
/// frames with the DESIGN §4.5 shapes (DFI from robust z-scores of flush rate and burst q95 against the host's own
/// first <c>warmup</c> windows, DJS = (q99 − q50)/q50 of DMA completion, PSO = larger RX/TX cadence CV) and runs a
/// 4-state hysteresis with a minimum dwell. Thresholds are fixed, not fitted.
/// </summary>
public sealed class InterimRegimeTracker(string host, int warmup = 50, int minDwellWindows = 5) : IRegimeTracker
{
    private readonly List<double> _calmRate = [];
    private readonly List<double> _calmQ95 = [];
    private (double Median, double Mad) _rate;
    private (double Median, double Mad) _q95;
    private int _dwell;
    private readonly Queue<long> _storms = new();

    public Regime Current { get; private set; } = Regime.MapStable;

    public RegimeSignals Signals { get; private set; }

    public bool Observe(FrameWindow window, out RegimeTransition transition)
    {
        ArgumentNullException.ThrowIfNull(window);
        double rate = 0, q95 = 0, djs = 0, pso = 0;
        foreach (var f in window.Frames)
        {
            rate += f.FlushRate / window.Frames.Count;
            q95 = Math.Max(q95, f.FlushBurstQ95);
            if (f.DmaLatencyQ50Ns is > 0 && f.DmaLatencyQ99Ns is { } q99)
            {
                djs = Math.Max(djs, (q99 - f.DmaLatencyQ50Ns.Value) / f.DmaLatencyQ50Ns.Value);
            }
            pso = Math.Max(pso, Math.Max(f.RxCadenceCv ?? 0, f.TxCadenceCv ?? 0));
        }
        double dfi = 0;
        if (_calmRate.Count < warmup)
        {
            _calmRate.Add(rate);
            _calmQ95.Add(q95);
            if (_calmRate.Count == warmup)
            {
                _rate = MedianMad(_calmRate);
                _q95 = MedianMad(_calmQ95);
            }
        }
        else
        {
            var z = (Z(rate, _rate) + Z(q95, _q95)) / 2;
            dfi = 100 * (1 - Math.Exp(-Math.Max(0, z) / 4));
        }
        var ts = window.WindowStartNs + window.Frames[0].WindowNs;
        while (_storms.Count > 0 && ts - _storms.Peek() > 60 * Time.NanosPerSecond)
        {
            _storms.Dequeue();
        }
        Signals = new RegimeSignals(dfi, djs, pso, _storms.Count, 0);
        var (next, reason) = Decide(dfi, djs);
        _dwell++;
        if (next == Current || _dwell < minDwellWindows)
        {
            transition = default!;
            return false;
        }
        if (next == Regime.FlushStorm)
        {
            _storms.Enqueue(ts);
        }
        transition = new RegimeTransition(host, ts, Current, next, reason);
        Current = next;
        _dwell = 0;
        return true;
    }

    private (Regime, string) Decide(double dfi, double djs)
    {
        var storms = _storms.Count;
        return Current switch
        {
            Regime.MapStable when dfi >= 70 => (Regime.FlushStorm, $"DFI {dfi:F0} >= 70"),
            Regime.MapStable when dfi >= 40 || djs >= 3 => (Regime.PressureWatch, $"DFI {dfi:F0} >= 40 or DJS {djs:F2} >= 3"),
            Regime.PressureWatch when dfi >= 70 => (storms >= 2 ? Regime.SafeDmaContain : Regime.FlushStorm, $"DFI {dfi:F0} >= 70 ({storms} storms in 60 s)"),
            Regime.PressureWatch when dfi < 25 && djs < 2 => (Regime.MapStable, $"DFI {dfi:F0} < 25 and DJS {djs:F2} < 2"),
            Regime.FlushStorm when storms >= 3 => (Regime.SafeDmaContain, $"{storms} storms in 60 s"),
            Regime.FlushStorm when dfi < 55 => (Regime.PressureWatch, $"DFI {dfi:F0} < 55"),
            Regime.SafeDmaContain when dfi < 25 => (Regime.PressureWatch, $"DFI {dfi:F0} < 25"),
            _ => (Current, ""),
        };
    }

    private static double Z(double x, (double Median, double Mad) b) => (x - b.Median) / ((1.4826 * b.Mad) + (0.05 * Math.Abs(b.Median)) + 1e-9);

    private static (double, double) MedianMad(List<double> xs)
    {
        var sorted = xs.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var dev = sorted.Select(x => Math.Abs(x - median)).Order().ToArray();
        return (median, dev[dev.Length / 2]);
    }
}
