using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DmaSlip.Ingest.Internal;

/// <summary>
/// Streams lines (without the line end) out of a byte stream with one fixed buffer, so memory stays constant however
/// large the input. A line longer than the buffer is delivered truncated with <c>overlong = true</c> and the rest of it
/// is skipped. Hand-written rather than <c>PipeReader</c>/<c>StreamReader</c>: no per-line allocation, no decoding.
/// Newlines are found 64 bytes at a time as a bit mask (one compare per 32 bytes, then one bit per line) instead of a
/// search call per line; reads are 128 KiB so that a chunk is still in the core's cache when it is parsed.
/// </summary>
internal sealed class LineReader : IDisposable
{
    public const int DefaultBufferSize = 1 << 20;
    private const int ReadChunk = 128 << 10;
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;

    // Newlines in [_start, _scan) not yet handed out are the set bits of _mask (bit i = byte _maskBase + i).
    private int _scan;
    private int _maskBase;
    private ulong _mask;

    public LineReader(Stream stream, int bufferSize = DefaultBufferSize)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Byte offset in the stream just past the last line returned.</summary>
    public long Position => _bufferOffset + _start;

    public bool TryRead(out ReadOnlySpan<byte> line, out long offset, out bool overlong)
    {
        overlong = false;
        while (true)
        {
            if (_mask != 0)
            {
                var nl = _maskBase + BitOperations.TrailingZeroCount(_mask);
                _mask &= _mask - 1;
                return Line(nl, out line, out offset);
            }
            if (Vector256.IsHardwareAccelerated && _end - _scan >= 64)
            {
                var block = _buffer.AsSpan(_scan, 64);
                var newline = Vector256.Create((byte)'\n');
                _mask = Vector256.Equals(Vector256.Create(block), newline).ExtractMostSignificantBits()
                    | ((ulong)Vector256.Equals(Vector256.Create(block[32..]), newline).ExtractMostSignificantBits() << 32);
                _maskBase = _scan;
                _scan += 64;
                continue;
            }
            var found = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
            if (found >= 0)
            {
                var nl = _scan + found;
                _scan = nl + 1;
                return Line(nl, out line, out offset);
            }
            _scan = _end;
            if (_eof)
            {
                if (_start < _end)
                {
                    offset = _bufferOffset + _start;
                    line = TrimCr(_buffer.AsSpan(_start, _end - _start));
                    _start = _scan = _end;
                    return true;
                }
                line = default;
                offset = Position;
                return false;
            }
            if (_start == 0 && _end == _buffer.Length)
            {
                // the line does not fit: hand out its head and drop the rest up to the next newline
                offset = _bufferOffset;
                var head = _buffer.AsSpan(0, Math.Min(4096, _end)).ToArray();
                SkipToNewline();
                line = head;
                overlong = true;
                return true;
            }
            Fill();
        }
    }

    private bool Line(int nl, out ReadOnlySpan<byte> line, out long offset)
    {
        offset = _bufferOffset + _start;
        line = TrimCr(_buffer.AsSpan(_start, nl - _start));
        _start = nl + 1;
        return true;
    }

    private void SkipToNewline()
    {
        _mask = 0;
        while (true)
        {
            _bufferOffset += _end;
            _start = _end = _scan = 0;
            var n = _stream.Read(_buffer, 0, Math.Min(_buffer.Length, ReadChunk));
            if (n == 0)
            {
                _eof = true;
                return;
            }
            _end = n;
            var nl = _buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                _start = _scan = nl + 1;
                return;
            }
        }
    }

    // only called with no newline in [_start, _end) (so _mask is 0)
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
            _scan = _end;
        }
        var n = _stream.Read(_buffer, _end, Math.Min(_buffer.Length - _end, ReadChunk));
        if (n == 0)
        {
            _eof = true;
        }
        _end += n;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> s) => s.Length > 0 && s[^1] == (byte)'\r' ? s[..^1] : s;

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
