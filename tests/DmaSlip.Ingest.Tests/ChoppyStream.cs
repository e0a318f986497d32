namespace DmaSlip.Ingest.Tests;

/// <summary>A stream that returns at most a given number of bytes per read, cycling through a pattern.</summary>
internal sealed class ChoppyStream(byte[] data, int[] chunks) : MemoryStream(data, writable: false)
{
    private int _i;

    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunks[_i++ % chunks.Length]));
}
