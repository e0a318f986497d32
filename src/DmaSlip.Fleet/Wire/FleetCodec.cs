using System.Buffers;
using DmaSlip.Core.Domain;

namespace DmaSlip.Fleet.Wire;

/// <summary>
/// Binary encoding of fleet messages (little-endian, length-prefixed UTF-8 strings, a null bitmap for the optional
/// frame features). Hand-written rather than JSON because a frame batch is ~8 frames × 23 fields and the load target
/// is 40 k frames/s through one 2-core box: the binary form is ~4× smaller and decodes without allocation per field.
/// Layout in docs/FLEET.md; a decode failure is a value with a reason and a byte offset. Writes wire version 2 (a null
/// bit for every nullable frame field, a reason for every missing signal); reads versions 1 and 2, so the service is
/// upgraded before the agents.
/// </summary>
public static partial class FleetCodec
{
    /// <summary>The version this build writes.</summary>
    public const byte Version = 2;

    /// <summary>The oldest version this build reads.</summary>
    public const byte OldestReadable = 1;
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
        var version = r.LastVersion;
        var regime = ReadRegime(ref r, "regime");
        var signals = ReadSignals(ref r, version);
        var count = r.U16("frame count");
        var frames = new HostFrame[count];
        for (var i = 0; i < count && r.Error is null; i++)
        {
            frames[i] = version == 1 ? ReadFrameV1(ref r, host) : ReadFrame(ref r, host);
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
        var version = r.LastVersion;
        var ts = r.I64("transition ts");
        var from = ReadRegime(ref r, "from regime");
        var to = ReadRegime(ref r, "to regime");
        var reason = r.Str("reason");
        var signals = ReadSignals(ref r, version);
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
        if (r.Error is null && version is < OldestReadable or > Version)
        {
            r.Fail($"unsupported version {version} (this build reads {OldestReadable}–{Version})");
        }
        r.LastVersion = version;
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
}
