using Microsoft.Win32.SafeHandles;

namespace DmaSlip.Ingest.Live;

/// <summary>
/// A procfs file read again and again through one open handle with pread at offset 0 into a reused buffer: the
/// agent reads its few files ten times a second, and open/fstat/close plus a fresh stream buffer per read were most
/// of its system time. The kernel regenerates a seq_file's text on each read from offset 0.
/// </summary>
internal sealed class ProcFile(string path) : IDisposable
{
    private SafeFileHandle? _handle;
    private byte[] _buffer = new byte[8192];

    public string Path { get; } = path;

    /// <summary>The whole current content (valid until the next call).</summary>
    public ReadOnlySpan<byte> Read()
    {
        _handle ??= File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var total = 0;
        while (true)
        {
            if (total == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var n = RandomAccess.Read(_handle, _buffer.AsSpan(total), total);
            if (n <= 0)
            {
                return _buffer.AsSpan(0, total);
            }
            total += n;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
