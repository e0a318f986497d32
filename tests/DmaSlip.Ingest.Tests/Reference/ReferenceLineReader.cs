// The line reader as it was before the newline bit masks (commit 03b3ee6), kept verbatim as the reference the new one
// must agree with (LineReaderParityTests). Do not optimise this file.
using System.Buffers;

namespace DmaSlip.Ingest.Tests.Reference;

/// <summary>
/// Streams lines (without the line end) out of a byte stream with one fixed buffer, so memory stays constant however
/// large the input. A line longer than the buffer is delivered truncated with <c>overlong = true</c> and the rest of it
/// is skipped. Hand-written rather than <c>PipeReader</c>/<c>StreamReader</c>: no per-line allocation, no decoding.
/// </summary>
internal sealed class ReferenceLineReader : IDisposable
{
    public const int DefaultBufferSize = 1 << 20;
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;

    public ReferenceLineReader(Stream stream, int bufferSize = DefaultBufferSize)
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
            var nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                offset = _bufferOffset + _start;
                line = TrimCr(_buffer.AsSpan(_start, nl));
                _start += nl + 1;
                return true;
            }
            if (_eof)
            {
                if (_start < _end)
                {
                    offset = _bufferOffset + _start;
                    line = TrimCr(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
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

    private void SkipToNewline()
    {
        while (true)
        {
            _bufferOffset += _end;
            _start = _end = 0;
            var n = _stream.Read(_buffer, 0, _buffer.Length);
            if (n == 0)
            {
                _eof = true;
                return;
            }
            _end = n;
            var nl = _buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                _start = nl + 1;
                return;
            }
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
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
