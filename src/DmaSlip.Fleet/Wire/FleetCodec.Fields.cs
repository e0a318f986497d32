using DmaSlip.Core.Domain;
using DmaSlip.Core.Metrics;

namespace DmaSlip.Fleet.Wire;

// The signals and frames of a message, by wire version (layouts in docs/FLEET.md "Wire format").
public static partial class FleetCodec
{
    private const int FrameFields = 17;
    private const string NotFinite = "a value is NaN or infinite (a missing value is a null bit)";

    // v2: u8 gaps (2 bits each: DFI, DJS, PSO; 0 = value follows), the present values as f64, i32 storm recurrence,
    // f64 deadline pressure. A value that is not finite has no number to send: it goes as "reason not known".
    private static void Signals(WireWriter w, in HostSignals s)
    {
        var dfi = GapOf(s.Dfi);
        var djs = GapOf(s.Djs);
        var pso = GapOf(s.Pso);
        w.U8((byte)((int)dfi | ((int)djs << 2) | ((int)pso << 4)));
        foreach (var (gap, v) in (ReadOnlySpan<(SignalGap, SignalValue)>)[(dfi, s.Dfi), (djs, s.Djs), (pso, s.Pso)])
        {
            if (gap == SignalGap.None)
            {
                w.F64(v.Value!.Value);
            }
        }
        w.I32(s.StormRecurrence);
        w.F64(s.DeadlinePressure);
    }

    private static SignalGap GapOf(SignalValue v) => v.Value is { } x
        ? double.IsFinite(x) ? SignalGap.None : SignalGap.Unknown
        : v.Gap == SignalGap.None ? SignalGap.Unknown : v.Gap;

    private static HostSignals ReadSignals(ref WireReader r, byte version)
    {
        if (version == 1)
        {
            // v1 sends every signal as f64, a missing one as NaN, with no reason
            return HostSignals.FromValues(new RegimeSignals(r.F64("dfi"), r.F64("djs"), r.F64("pso"), r.I32("storm recurrence"), r.F64("deadline pressure")));
        }
        var gaps = r.U8("signal gaps");
        if (r.Error is null && gaps >= 1 << 6)
        {
            r.Fail($"signal gaps 0x{gaps:x2} have bits beyond DFI, DJS and PSO");
        }
        var dfi = ReadSignal(ref r, (SignalGap)(gaps & 3), "dfi");
        var djs = ReadSignal(ref r, (SignalGap)((gaps >> 2) & 3), "djs");
        var pso = ReadSignal(ref r, (SignalGap)((gaps >> 4) & 3), "pso");
        return new HostSignals(dfi, djs, pso, r.I32("storm recurrence"), r.F64("deadline pressure"));
    }

    private static SignalValue ReadSignal(ref WireReader r, SignalGap gap, string what) =>
        gap == SignalGap.None ? SignalValue.Of(r.F64(what)) : SignalValue.Missing(gap);

    // v2: device, i32 queue, i64 window start, i64 window ns, u32 null mask over the 17 nullable fields (bit 0–5: flush
    // rate, burst q50/q95/q99, map rate, unmap rate; bit 6–16: the optional features in HostFrame order), the present
    // values as f64, i64 events.
    private static void Frame(WireWriter w, HostFrame f)
    {
        w.Str(f.Device);
        w.I32(f.Queue);
        w.I64(f.WindowStartNs);
        w.I64(f.WindowNs);
        ReadOnlySpan<double?> values =
        [
            f.FlushRate, f.FlushBurstQ50, f.FlushBurstQ95, f.FlushBurstQ99, f.MapRate, f.UnmapRate,
            f.IotlbMissRatio, f.InvLatencyQ50Ns, f.InvLatencyQ99Ns, f.DmaLatencyQ50Ns, f.DmaLatencyQ99Ns, f.RingOscillation,
            f.NapiPollVarianceUs2, f.NapiSaturationShare, f.NumaLocalShare, f.RxCadenceCv, f.TxCadenceCv,
        ];
        uint mask = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].HasValue)
            {
                mask |= 1u << i;
            }
        }
        w.U32(mask);
        foreach (var v in values)
        {
            if (v.HasValue)
            {
                w.F64(v.Value);
            }
        }
        w.I64(f.Events);
    }

    private static HostFrame ReadFrame(ref WireReader r, string host)
    {
        var device = r.Str("device");
        var queue = r.I32("queue");
        var start = r.I64("window start");
        var len = r.I64("window ns");
        var mask = r.U32("null mask");
        if (r.Error is null && mask >= 1u << FrameFields)
        {
            r.Fail($"null mask 0x{mask:x8} has bits beyond the {FrameFields} nullable fields");
        }
        Span<double> v = stackalloc double[FrameFields];
        var finite = true;
        for (var i = 0; i < FrameFields; i++)
        {
            v[i] = (mask & (1u << i)) != 0 ? r.F64("frame value") : double.NaN;
            finite &= (mask & (1u << i)) == 0 || double.IsFinite(v[i]);
        }
        double? At(int i, Span<double> values) => (mask & (1u << i)) != 0 ? values[i] : null;
        var events = r.I64("events");
        CheckFrame(ref r, device, queue, len, finite, events);
        return new HostFrame(host, device, queue, start, len, At(0, v), At(1, v), At(2, v), At(3, v), At(4, v), At(5, v),
            At(6, v), At(7, v), At(8, v), At(9, v), At(10, v), At(11, v), At(12, v), At(13, v), At(14, v), At(15, v), At(16, v), events);
    }

    // A frame is measurements: NaN/±Inf, empty or negative windows and negative counts are refused.
    private static void CheckFrame(ref WireReader r, string device, int queue, long len, bool finite, long events)
    {
        if (r.Error is not null)
        {
            return;
        }
        if (len <= 0)
        {
            r.Fail($"frame {device}/{queue}: window ns {len} is not a window (must be > 0)");
        }
        else if (!finite)
        {
            r.Fail($"frame {device}/{queue}: {NotFinite}");
        }
        else if (events < 0)
        {
            r.Fail($"frame {device}/{queue}: negative event count {events}");
        }
    }

    private static double? NaNToNull(double v) => double.IsNaN(v) ? null : v;

    // v1: the six rates and burst quantiles always as f64 (a null one as NaN, decoded to null; only ±Inf is refused),
    // then a u16 null mask of the 11 optional features and the present ones.
    private static HostFrame ReadFrameV1(ref WireReader r, string host)
    {
        var device = r.Str("device");
        var queue = r.I32("queue");
        var start = r.I64("window start");
        var len = r.I64("window ns");
        Span<double> v = stackalloc double[FrameFields];
        ReadOnlySpan<string> names = ["flush rate", "flush burst q50", "flush burst q95", "flush burst q99", "map rate", "unmap rate"];
        var finite = true;
        for (var i = 0; i < 6; i++)
        {
            v[i] = r.F64(names[i]);
            finite &= double.IsNaN(v[i]) || double.IsFinite(v[i]);
        }
        var mask = r.U16("null mask");
        if (r.Error is null && mask >= 1 << 11)
        {
            r.Fail($"null mask 0x{mask:x4} has bits beyond the 11 optional features");
        }
        for (var i = 0; i < 11; i++)
        {
            v[6 + i] = (mask & (1 << i)) != 0 ? r.F64("optional feature") : double.NaN;
            finite &= (mask & (1 << i)) == 0 || double.IsFinite(v[6 + i]);
        }
        double? Opt(int i, Span<double> values) => (mask & (1 << i)) != 0 ? values[6 + i] : null;
        var events = r.I64("events");
        CheckFrame(ref r, device, queue, len, finite, events);
        return new HostFrame(host, device, queue, start, len, NaNToNull(v[0]), NaNToNull(v[1]), NaNToNull(v[2]), NaNToNull(v[3]), NaNToNull(v[4]), NaNToNull(v[5]),
            Opt(0, v), Opt(1, v), Opt(2, v), Opt(3, v), Opt(4, v), Opt(5, v), Opt(6, v), Opt(7, v), Opt(8, v), Opt(9, v), Opt(10, v), events);
    }
}
