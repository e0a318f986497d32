namespace DmaSlip.Ingest.Internal;

/// <summary>What <see cref="LineChunkReader.Next"/> put in the buffer.</summary>
internal enum LineChunkKind
{
    /// <summary>Nothing: the stream is done.</summary>
    End,
    /// <summary>Whole lines, each ending in '\n'.</summary>
    Lines,
    /// <summary>The last lines of the stream; the last one may lack its '\n'.</summary>
    FinalLines,
    /// <summary>The head of one line too long for any buffer (<see cref="LineReader"/>'s overlong line); the rest is skipped.</summary>
    Overlong,
}

/// <summary>
/// Cuts a stream into large chunks that end at a newline, so that the chunks can be parsed apart (on several threads)
/// and still give exactly the lines, offsets and overlong flags of <see cref="LineReader"/> with a buffer of
/// <c>lineLimit</c> bytes: a line of <c>lineLimit</c> bytes or more (before its '\n', '\r' included) is overlong. A chunk
/// may still hold such a line when it fits; the parser of the chunk flags it. A line that does not fit in a buffer comes
/// as its own <see cref="LineChunkKind.Overlong"/> chunk of its first <c>min(4096, lineLimit)</c> bytes, as
/// <see cref="LineReader"/> hands it out. Reads go straight into the caller's buffer; only the partial line at a chunk's
/// end is copied (to the front of the next chunk).
/// </summary>
internal sealed class LineChunkReader(Stream stream, int lineLimit, int readBytes)
{
    private readonly byte[] _carry = new byte[Math.Max(readBytes, lineLimit + 1)];
    private int _carryLength;
    private long _offset;
    private bool _eof;

    /// <summary>The buffer size <see cref="Next"/> needs: room for a read and for any line under the limit with its '\n'.</summary>
    public int BufferSize => _carry.Length;

    public static int HeadBytes(int lineLimit) => Math.Min(4096, lineLimit);

    /// <summary>Fills <paramref name="buffer"/> (at least <see cref="BufferSize"/> bytes) with the next chunk.</summary>
    public LineChunkKind Next(byte[] buffer, out int length, out long offset)
    {
        offset = _offset;
        length = 0;
        if (_eof && _carryLength == 0)
        {
            return LineChunkKind.End;
        }
        _carry.AsSpan(0, _carryLength).CopyTo(buffer);
        var n = _carryLength;
        _carryLength = 0;
        var searched = 0;
        while (true)
        {
            while (!_eof && n < readBytes)
            {
                n += ReadInto(buffer, n, BufferSize - n);
            }
            if (_eof)
            {
                length = n;
                _offset += n;
                return n == 0 ? LineChunkKind.End : LineChunkKind.FinalLines;
            }
            var last = buffer.AsSpan(searched, n - searched).LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                length = searched + last + 1;
                _carryLength = n - length;
                buffer.AsSpan(length, _carryLength).CopyTo(_carry);
                _offset += length;
                return LineChunkKind.Lines;
            }
            searched = n;
            if (n == BufferSize)
            {
                // no '\n' in more than lineLimit bytes: an overlong line; hand out its head, drop the rest up to its '\n'
                length = HeadBytes(lineLimit);
                _offset += n;
                SkipToNewline();
                return LineChunkKind.Overlong;
            }
            n += ReadInto(buffer, n, BufferSize - n);
        }
    }

    private int ReadInto(byte[] buffer, int at, int count)
    {
        var r = stream.Read(buffer, at, count);
        if (r == 0)
        {
            _eof = true;
        }
        return r;
    }

    private void SkipToNewline()
    {
        while (true)
        {
            var r = ReadInto(_carry, 0, _carry.Length);
            if (r == 0)
            {
                return;
            }
            var nl = _carry.AsSpan(0, r).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                _offset += nl + 1;
                _carryLength = r - nl - 1;
                _carry.AsSpan(nl + 1, _carryLength).CopyTo(_carry);
                return;
            }
            _offset += r;
        }
    }
}
