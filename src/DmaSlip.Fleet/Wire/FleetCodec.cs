using System.Buffers;
using DmaSlip.Core.Domain;

namespace DmaSlip.Fleet.Wire;

/// <summary>
/// Binary encoding of fleet messages (little-endian, length-prefixed UTF-8 strings, a null bitmap for the optional
/// frame features). Hand-written rather than JSON because a frame batch is ~8 frames × 23 fields and the load target
/// is 40 k frames/s through one 2-core box: the binary form is ~4× smaller and decodes without allocation per field.
/// Layout in docs/FLEET.md; a decode failure is a value with a reason and a byte offset.
/// </summary>
public static class FleetCodec
{
    private const byte Version = 1;
    private static ReadOnlySpan<byte> BatchMagic => "DSFB"u8;
    private static ReadOnlySpan<byte> RegimeMagic => "DSRC"u8;

    public static byte[] Encode(FrameBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Frames.Count > ushort.MaxValue)
        {
            throw new ArgumentException("A batch holds at most 65535 frames.", nameof(batch));
        }
        var buffer = new ArrayBufferWriter<byte>(128 + (batch.Frames.Count * 200));
        var w = new WireWriter(buffer);
        Header(w, BatchMagic, batch.Host, batch.Pool, batch.Boot, batch.Sequence, batch.SentNs);
        w.U8((byte)batch.Regime);
        Signals(w, batch.Signals);
        w.U16((ushort)batch.Frames.Count);
        foreach (var f in batch.Frames)
        {
            if (!string.Equals(f.Host, batch.Host, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Frame of host '{f.Host}' in a batch of host '{batch.Host}'.", nameof(batch));
            }
            Frame(w, f);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Encode(RegimeChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var buffer = new ArrayBufferWriter<byte>(256);
        var w = new WireWriter(buffer);
        Header(w, RegimeMagic, change.Host, change.Pool, change.Boot, change.Sequence, change.SentNs);
        var t = change.Transition;
        w.I64(t.TsNs);
        w.U8((byte)t.From);
        w.U8((byte)t.To);
        w.Str(t.Reason);
        Signals(w, change.Signals);
        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out FrameBatch? batch, out DecodeError error)
    {
        var r = new WireReader(data);
        batch = null;
        if (!ReadHeader(ref r, BatchMagic, out var host, out var pool, out var boot, out var seq, out var sent))
        {
            error = new DecodeError(r.Error!, r.Position);
            return false;
        }
        var regime = ReadRegime(ref r, "regime");
        var signals = ReadSignals(ref r);
        var count = r.U16("frame count");
        var frames = new HostFrame[count];
        for (var i = 0; i < count && r.Error is null; i++)
        {
            frames[i] = ReadFrame(ref r, host);
        }
        if (r.Error is null && !r.AtEnd)
        {
            r.Fail("trailing bytes after the last frame");
        }
        if (r.Error is not null)
        {
            error = new DecodeError(r.Error, r.Position);
            return false;
        }
        batch = new FrameBatch(host, pool, boot, seq, sent, regime, signals, frames);
        error = default;
        return true;
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, out RegimeChange? change, out DecodeError error)
    {
        var r = new WireReader(data);
        change = null;
        if (!ReadHeader(ref r, RegimeMagic, out var host, out var pool, out var boot, out var seq, out var sent))
        {
            error = new DecodeError(r.Error!, r.Position);
            return false;
        }
        var ts = r.I64("transition ts");
        var from = ReadRegime(ref r, "from regime");
        var to = ReadRegime(ref r, "to regime");
        var reason = r.Str("reason");
        var signals = ReadSignals(ref r);
        if (r.Error is null && !r.AtEnd)
        {
            r.Fail("trailing bytes after the signals");
        }
        if (r.Error is not null)
        {
            error = new DecodeError(r.Error, r.Position);
            return false;
        }
        change = new RegimeChange(host, pool, boot, seq, sent, new RegimeTransition(host, ts, from, to, reason), signals);
        error = default;
        return true;
    }

    private static void Header(WireWriter w, ReadOnlySpan<byte> magic, string host, string pool, string boot, ulong seq, long sentNs)
    {
        foreach (var b in magic)
        {
            w.U8(b);
        }
        w.U8(Version);
        w.Str(host);
        w.Str(pool);
        w.Str(boot);
        w.U64(seq);
        w.I64(sentNs);
    }

    private static bool ReadHeader(ref WireReader r, ReadOnlySpan<byte> magic, out string host, out string pool, out string boot, out ulong seq, out long sent)
    {
        host = pool = boot = "";
        seq = 0;
        sent = 0;
        for (var i = 0; i < magic.Length; i++)
        {
            if (r.U8("magic") != magic[i] && r.Error is null)
            {
                r.Fail($"not a {System.Text.Encoding.ASCII.GetString(magic)} message (bad magic)");
            }
        }
        var version = r.U8("version");
        if (r.Error is null && version != Version)
        {
            r.Fail($"unsupported version {version} (this build reads {Version})");
        }
        host = r.Str("host");
        pool = r.Str("pool");
        boot = r.Str("boot");
        seq = r.U64("sequence");
        sent = r.I64("sent ns");
        if (r.Error is null && (!FleetNames.IsValidToken(host) || !FleetNames.IsValidToken(pool)))
        {
            r.Fail($"invalid host '{host}' or pool '{pool}'");
        }
        return r.Error is null;
    }

    private static Regime ReadRegime(ref WireReader r, string what)
    {
        var v = r.U8(what);
        if (r.Error is null && v > (byte)Regime.SafeDmaContain)
        {
            r.Fail($"{what} {v} is not a regime (0–3)");
        }
        return (Regime)v;
    }

    private static void Signals(WireWriter w, in RegimeSignals s)
    {
        w.F64(s.Dfi);
        w.F64(s.Djs);
        w.F64(s.Pso);
        w.I32(s.StormRecurrence);
        w.F64(s.DeadlinePressure);
    }

    private static RegimeSignals ReadSignals(ref WireReader r) =>
        new(r.F64("dfi"), r.F64("djs"), r.F64("pso"), r.I32("storm recurrence"), r.F64("deadline pressure"));

    private static void Frame(WireWriter w, HostFrame f)
    {
        w.Str(f.Device);
        w.I32(f.Queue);
        w.I64(f.WindowStartNs);
        w.I64(f.WindowNs);
        // Rates are null on frames no invalidation/map source covered, burst quantiles on counter-only frames (no
        // per-event timing): NaN on the wire, null again on read.
        w.F64(f.FlushRate ?? double.NaN);
        w.F64(f.FlushBurstQ50 ?? double.NaN);
        w.F64(f.FlushBurstQ95 ?? double.NaN);
        w.F64(f.FlushBurstQ99 ?? double.NaN);
        w.F64(f.MapRate ?? double.NaN);
        w.F64(f.UnmapRate ?? double.NaN);
        ReadOnlySpan<double?> optional =
        [
            f.IotlbMissRatio, f.InvLatencyQ50Ns, f.InvLatencyQ99Ns, f.DmaLatencyQ50Ns, f.DmaLatencyQ99Ns, f.RingOscillation,
            f.NapiPollVarianceUs2, f.NapiSaturationShare, f.NumaLocalShare, f.RxCadenceCv, f.TxCadenceCv,
        ];
        ushort mask = 0;
        for (var i = 0; i < optional.Length; i++)
        {
            if (optional[i].HasValue)
            {
                mask |= (ushort)(1 << i);
            }
        }
        w.U16(mask);
        foreach (var v in optional)
        {
            if (v.HasValue)
            {
                w.F64(v.Value);
            }
        }
        w.I64(f.Events);
    }

    private static double? NaNToNull(double v) => double.IsNaN(v) ? null : v;

    private static HostFrame ReadFrame(ref WireReader r, string host)
    {
        var device = r.Str("device");
        var queue = r.I32("queue");
        var start = r.I64("window start");
        var len = r.I64("window ns");
        var flush = NaNToNull(r.F64("flush rate"));
        var q50 = NaNToNull(r.F64("flush burst q50"));
        var q95 = NaNToNull(r.F64("flush burst q95"));
        var q99 = NaNToNull(r.F64("flush burst q99"));
        var map = NaNToNull(r.F64("map rate"));
        var unmap = NaNToNull(r.F64("unmap rate"));
        var mask = r.U16("null mask");
        if (r.Error is null && mask >= 1 << 11)
        {
            r.Fail($"null mask 0x{mask:x4} has bits beyond the 11 optional features");
        }
        Span<double> o = stackalloc double[11];
        for (var i = 0; i < 11; i++)
        {
            o[i] = (mask & (1 << i)) != 0 ? r.F64("optional feature") : double.NaN;
        }
        double? Opt(int i, Span<double> values) => (mask & (1 << i)) != 0 ? values[i] : null;
        var events = r.I64("events");
        if (r.Error is null)
        {
            // a frame is measurements: NaN/±Inf (a missing value is a null bit) and empty or negative windows are refused
            // rates and burst quantiles travel as NaN when null, so only a non-null one must be finite
            var finite = true;
            foreach (var v in (ReadOnlySpan<double?>)[flush, q50, q95, q99, map, unmap])
            {
                finite &= v is null || double.IsFinite(v.Value);
            }
            for (var i = 0; i < 11; i++)
            {
                finite &= (mask & (1 << i)) == 0 || double.IsFinite(o[i]);
            }
            if (len <= 0)
            {
                r.Fail($"frame {device}/{queue}: window ns {len} is not a window (must be > 0)");
            }
            else if (!finite)
            {
                r.Fail($"frame {device}/{queue}: a value is NaN or infinite (a missing optional value is a null bit)");
            }
            else if (events < 0)
            {
                r.Fail($"frame {device}/{queue}: negative event count {events}");
            }
        }
        return new HostFrame(host, device, queue, start, len, flush, q50, q95, q99, map, unmap,
            Opt(0, o), Opt(1, o), Opt(2, o), Opt(3, o), Opt(4, o), Opt(5, o), Opt(6, o), Opt(7, o), Opt(8, o), Opt(9, o), Opt(10, o), events);
    }
}
