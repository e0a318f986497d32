using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DmaSlip.Fleet.Wire;

/// <summary>Little-endian primitive writer over an <see cref="ArrayBufferWriter{T}"/>.</summary>
internal readonly struct WireWriter(ArrayBufferWriter<byte> buffer)
{
    public void U8(byte v)
    {
        buffer.GetSpan(1)[0] = v;
        buffer.Advance(1);
    }

    public void U16(ushort v)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), v);
        buffer.Advance(2);
    }

    public void U32(uint v)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.GetSpan(4), v);
        buffer.Advance(4);
    }

    public void I32(int v)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), v);
        buffer.Advance(4);
    }

    public void I64(long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), v);
        buffer.Advance(8);
    }

    public void U64(ulong v)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.GetSpan(8), v);
        buffer.Advance(8);
    }

    public void F64(double v)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), v);
        buffer.Advance(8);
    }

    public void Str(string s)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        if (n > ushort.MaxValue)
        {
            throw new ArgumentException("String longer than 65535 UTF-8 bytes cannot be encoded.", nameof(s));
        }
        U16((ushort)n);
        Encoding.UTF8.GetBytes(s, buffer.GetSpan(n));
        buffer.Advance(n);
    }
}

/// <summary>Little-endian primitive reader that records the first failure instead of throwing.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public string? Error { get; private set; }

    /// <summary>The wire version the message's header named (what follows is read by that version's layout).</summary>
    public byte LastVersion { get; set; }

    public int Position => _pos;

    public readonly bool AtEnd => _pos == _data.Length;

    private bool Take(int n, string what, out ReadOnlySpan<byte> span)
    {
        if (Error is not null || _data.Length - _pos < n)
        {
            Error ??= $"truncated: {what} needs {n} bytes, {_data.Length - _pos} left";
            span = default;
            return false;
        }
        span = _data.Slice(_pos, n);
        _pos += n;
        return true;
    }

    public byte U8(string what) => Take(1, what, out var s) ? s[0] : (byte)0;

    public ushort U16(string what) => Take(2, what, out var s) ? BinaryPrimitives.ReadUInt16LittleEndian(s) : (ushort)0;

    public uint U32(string what) => Take(4, what, out var s) ? BinaryPrimitives.ReadUInt32LittleEndian(s) : 0;

    public int I32(string what) => Take(4, what, out var s) ? BinaryPrimitives.ReadInt32LittleEndian(s) : 0;

    public long I64(string what) => Take(8, what, out var s) ? BinaryPrimitives.ReadInt64LittleEndian(s) : 0;

    public ulong U64(string what) => Take(8, what, out var s) ? BinaryPrimitives.ReadUInt64LittleEndian(s) : 0;

    public double F64(string what) => Take(8, what, out var s) ? BinaryPrimitives.ReadDoubleLittleEndian(s) : 0;

    public string Str(string what)
    {
        var n = U16(what + " length");
        if (!Take(n, what, out var s))
        {
            return "";
        }
        try
        {
            return new UTF8Encoding(false, true).GetString(s);
        }
        catch (DecoderFallbackException)
        {
            Fail($"{what} is not valid UTF-8");
            return "";
        }
    }

    public void Fail(string reason) => Error ??= reason;
}
