using System.Security.Cryptography;

namespace DmaSlip.Ingest.Fix;

/// <summary>
/// What makes an ExecutionReport the same execution again, as a 128-bit hash of its identifying and economic fields:
/// ClOrdID(11), OrderID(37), ExecID(17), ExecType(150), OrdStatus(39), Symbol(55), Side(54), LastPx(31), LastQty(32),
/// CumQty(14), LeavesQty(151), AvgPx(6), TransactTime(60). A report logged or resent again has the same signature
/// whatever its session fields (MsgSeqNum, SendingTime, PossDup) or decoration (LastMkt) say; another fill that reuses
/// the ExecID differs in quantity, order or time.
/// </summary>
internal static class FixSignature
{
    private static readonly int[] Fields = [11, 37, 17, 150, 39, 55, 54, 31, 32, 14, 151, 6, 60];

    public static UInt128 Of(ReadOnlySpan<byte> msg)
    {
        var delim = msg.IndexOfAny((byte)1, (byte)'|');
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<Range> found = stackalloc Range[Fields.Length];
        found.Fill(new Range(0, 0));
        var pos = 0;
        while (pos < msg.Length)
        {
            var end = delim < 0 ? -1 : msg[pos..].IndexOf(msg[delim]);
            end = end < 0 ? msg.Length : pos + end;
            var field = msg[pos..end];
            var eq = field.IndexOf((byte)'=');
            if (eq > 0 && Internal.Ascii.TryInt(field[..eq], out var tag))
            {
                var i = Array.IndexOf(Fields, tag);
                if (i >= 0 && found[i].End.Value == 0)
                {
                    found[i] = new Range(pos + eq + 1, end);
                }
            }
            pos = end + 1;
        }
        foreach (var r in found)
        {
            hash.AppendData(msg[r]);
            hash.AppendData([1]);
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }
}
