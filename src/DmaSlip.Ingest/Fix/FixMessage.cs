using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Fix;

/// <summary>The tags of one FIX message DmaSlip reads, as ranges into the line (no allocation per field).</summary>
internal ref struct FixMessage
{
    public static readonly int[] Tags = [35, 11, 41, 583, 55, 54, 38, 44, 60, 52, 150, 39, 17, 31, 32, 851, 30, 100, 56, 43, 20, 37, 97];

    private ReadOnlySpan<byte> _line;
    private Span<Range> _slots;

    /// <summary>Splits "8=FIX...&lt;d&gt;tag=value&lt;d&gt;..." (d = SOH or '|'); false when a field has no '=' or a non-numeric tag.</summary>
    public static bool TryParse(ReadOnlySpan<byte> msg, Span<Range> slots, out FixMessage m)
    {
        m = default;
        m._line = msg;
        m._slots = slots;
        slots.Fill(new Range(0, 0));
        var delim = msg.IndexOfAny((byte)1, (byte)'|');
        if (delim < 0)
        {
            return false;
        }
        var d = msg[delim];
        var pos = 0;
        while (pos < msg.Length)
        {
            var end = msg[pos..].IndexOf(d);
            end = end < 0 ? msg.Length : pos + end;
            var field = msg[pos..end];
            if (!field.IsEmpty)
            {
                var eq = field.IndexOf((byte)'=');
                if (eq <= 0 || !Ascii.TryInt(field[..eq], out var tag))
                {
                    return false;
                }
                var i = Array.IndexOf(Tags, tag);
                if (i >= 0 && slots[i].End.Value == 0)
                {
                    slots[i] = new Range(pos + eq + 1, end);
                }
            }
            pos = end + 1;
        }
        return true;
    }

    public readonly ReadOnlySpan<byte> this[int tag]
    {
        get
        {
            var i = Array.IndexOf(Tags, tag);
            return i < 0 ? default : _line[_slots[i]];
        }
    }

    public readonly bool Has(int tag) => !this[tag].IsEmpty;
}
