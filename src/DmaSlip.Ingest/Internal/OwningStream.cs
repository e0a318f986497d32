namespace DmaSlip.Ingest.Internal;

/// <summary>A read-only wrapper that reports progress and disposes what the inner stream depends on (a zip archive).</summary>
internal sealed class OwningStream(Stream inner, IDisposable? owner, long length, Action<long, long>? progress) : Stream
{
    private long _read;
    private long _lastReport;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    private int Count(int n)
    {
        _read += n;
        if (progress is not null && (_read - _lastReport >= 8 << 20 || n == 0))
        {
            _lastReport = _read;
            progress(_read, length);
        }
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
        }
        base.Dispose(disposing);
    }
}
