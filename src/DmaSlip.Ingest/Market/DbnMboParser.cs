using System.Buffers.Binary;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;
using ZstdSharp;

namespace DmaSlip.Ingest.Market;

/// <summary>
/// Databento DBN (v1–v3), zstd-compressed or not, MBO schema → <c>market_book_events</c>. Layout: "DBN" + version +
/// u32 metadata length + metadata (dataset, schema, ..., symbol mappings), then records, each starting with a header
/// (u8 length in 4-byte words, u8 rtype, u16 publisher, u32 instrument_id, u64 ts_event). MBO records (rtype 0xA0,
/// 56 bytes): order_id u64@16, price i64@24 (1e-9), size u32@32, flags u8@36, channel u8@37, action@38, side@39,
/// ts_recv u64@40, ts_in_delta i32@48, sequence u32@52. ts_ns = ts_recv (capture), exchange_ts_ns = ts_event, so
/// ts_recv − ts_event is the feed latency. Records of other rtypes are skipped; a truncated record is quarantined
/// at its byte offset in the decompressed stream. Symbol from the metadata mappings (else the instrument id).
/// </summary>
internal sealed class DbnMboParser : IFormatParser
{
    private const byte MboRType = 0xA0;
    private const long UndefPrice = long.MaxValue;

    public void Parse(Stream input, FileContext ctx)
    {
        var buffered = new BufferedStream(input, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        if (buffered.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
        {
            ctx.Quarantine(0, "DBN: file shorter than its magic", magic);
            return;
        }
        if (FormatDetector.IsLegacyDbz(magic))
        {
            throw new IngestException(FormatDetector.LegacyDbzMessage(ctx.Path));
        }
        Stream s = buffered;
        if (magic.SequenceEqual((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            s = new DecompressionStream(new PrefixStream(magic.ToArray(), buffered));
            if (s.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4)
            {
                ctx.Quarantine(0, "DBN: empty zstd frame", default);
                return;
            }
        }
        using (s)
        {
            Read(s, magic, ctx);
        }
    }

    private static void Read(Stream s, ReadOnlySpan<byte> magic, FileContext ctx)
    {
        if (!magic[..3].SequenceEqual("DBN"u8) || magic[3] is < 1 or > 3)
        {
            ctx.Quarantine(0, "DBN: expected 'DBN' and version 1-3", magic);
            return;
        }
        var version = magic[3];
        Span<byte> lenBytes = stackalloc byte[4];
        if (s.ReadAtLeast(lenBytes, 4, throwOnEndOfStream: false) < 4)
        {
            ctx.Quarantine(4, "DBN: truncated metadata length", default);
            return;
        }
        var metaLen = BinaryPrimitives.ReadUInt32LittleEndian(lenBytes);
        if (metaLen > 64 << 20)
        {
            ctx.Quarantine(4, "DBN: metadata length implausible", lenBytes);
            return;
        }
        var meta = new byte[metaLen];
        if (s.ReadAtLeast(meta, meta.Length, throwOnEndOfStream: false) < meta.Length)
        {
            ctx.Quarantine(8, "DBN: truncated metadata", default);
            return;
        }
        var dataset = Encoding.ASCII.GetString(meta.AsSpan(0, Math.Min(16, meta.Length))).TrimEnd('\0');
        var symbols = DbnMetadata.Mappings(meta, version);
        var venue = string.IsNullOrEmpty(dataset) ? "DBN" : dataset;
        long offset = 8 + metaLen;
        var rec = new byte[1024];
        var seq = 0;
        while (true)
        {
            var got = s.ReadAtLeast(rec.AsSpan(0, 1), 1, throwOnEndOfStream: false);
            if (got == 0)
            {
                return;
            }
            var length = rec[0] * 4;
            if (length < 16)
            {
                ctx.Quarantine(offset, "DBN: record length below the 16-byte header", rec.AsSpan(0, 1));
                return; // framing is lost: nothing after this can be trusted
            }
            var have = 1 + s.ReadAtLeast(rec.AsSpan(1, length - 1), length - 1, throwOnEndOfStream: false);
            if (have < length)
            {
                ctx.Quarantine(offset, $"DBN: truncated record ({have} of {length} bytes)", rec.AsSpan(0, have));
                return;
            }
            var r = rec.AsSpan(0, length);
            if (r[1] != MboRType)
            {
                ctx.Skip();
            }
            else if (length < 56)
            {
                ctx.Quarantine(offset, "DBN: MBO record shorter than 56 bytes", r);
            }
            else
            {
                var instrument = BinaryPrimitives.ReadUInt32LittleEndian(r[4..]);
                var tsEvent = (long)BinaryPrimitives.ReadUInt64LittleEndian(r[8..]);
                var orderId = (long)BinaryPrimitives.ReadUInt64LittleEndian(r[16..]);
                var price = BinaryPrimitives.ReadInt64LittleEndian(r[24..]);
                var size = BinaryPrimitives.ReadUInt32LittleEndian(r[32..]);
                var tsRecv = (long)BinaryPrimitives.ReadUInt64LittleEndian(r[40..]);
                if (!symbols.TryGetValue(instrument, out var symbol))
                {
                    symbol = instrument.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    symbols[instrument] = symbol;
                }
                var px = price == UndefPrice ? double.NaN : price / 1e9;
                ctx.Add(new BookEvent(tsRecv, symbol, venue, (char)r[38], (char)r[39], px, size, orderId, tsEvent, seq));
                ctx.Record();
            }
            seq++;
            offset += length;
        }
    }
}
