using System.Buffers.Binary;
using System.Text;

namespace DmaSlip.Ingest.Market;

/// <summary>Reads the symbol mappings (instrument id → raw symbol) of DBN metadata; tolerant: returns what it could read.</summary>
internal static class DbnMetadata
{
    public static Dictionary<uint, string> Mappings(byte[] meta, byte version)
    {
        var result = new Dictionary<uint, string>();
        try
        {
            // v1: fixed 22-byte symbol strings; v2+: the length is a u16 at offset 45
            var cstr = version == 1 ? 22 : BinaryPrimitives.ReadUInt16LittleEndian(meta.AsSpan(45));
            var pos = 100;
            var schemaLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(pos));
            pos += 4 + schemaLen;
            for (var list = 0; list < 3; list++) // symbols, partial, not_found
            {
                var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(pos));
                pos += 4 + count * cstr;
            }
            var mappings = (int)BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(pos));
            pos += 4;
            for (var i = 0; i < mappings; i++)
            {
                var raw = CStr(meta.AsSpan(pos, cstr));
                pos += cstr;
                var intervals = (int)BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(pos));
                pos += 4;
                for (var j = 0; j < intervals; j++)
                {
                    pos += 8; // start_date, end_date
                    var id = CStr(meta.AsSpan(pos, cstr));
                    pos += cstr;
                    if (uint.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var instrument))
                    {
                        result[instrument] = raw;
                    }
                }
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // metadata shorter than its counts claim: keep the mappings read so far
        }
        return result;
    }

    private static string CStr(ReadOnlySpan<byte> s)
    {
        var z = s.IndexOf((byte)0);
        return Encoding.ASCII.GetString(z < 0 ? s : s[..z]);
    }
}
