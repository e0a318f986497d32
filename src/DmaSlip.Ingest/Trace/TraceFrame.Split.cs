using System.Numerics;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// Bit masks of a line's first 64 bytes (bit i = byte i), kept from <see cref="TraceFrame"/>'s vector framing so that
/// the event name can be split off without another pass: spaces, blanks (space or tab) and colons.
/// </summary>
internal readonly record struct EventMasks(ulong Spaces, ulong Blanks, ulong Colons);

internal ref partial struct TraceFrame
{
    /// <summary>
    /// What <see cref="ParseEvent"/> gives for the rest of the line from <paramref name="start"/>, found from the framing's
    /// masks when they decide it: the leading spaces, the first blank and the last two ':' before it all fall in the
    /// 64 bytes, and the layout is the usual one (<see cref="SplitEvent"/>). Returns -1 otherwise (no masks, a blank
    /// past the window, any other layout), and <see cref="ParseEvent"/> decides. Why: that call re-read the same bytes.
    /// </summary>
    private static int TrySplitEvent(ReadOnlySpan<byte> s, int start, EventMasks m, ref TraceFrame frame)
    {
        if (m.Blanks == 0 || start >= 64)
        {
            return -1;
        }
        var text = ~m.Spaces >> start;
        if (text == 0)
        {
            return -1;
        }
        start += BitOperations.TrailingZeroCount(text);
        var blanks = m.Blanks >> start;
        if (blanks == 0)
        {
            return -1;
        }
        var sp = BitOperations.TrailingZeroCount(blanks);
        var colons = (m.Colons >> start) & ((1UL << sp) - 1);
        if (sp == 0 || colons == 0)
        {
            return -1;
        }
        var lastColon = 63 - BitOperations.LeadingZeroCount(colons);
        colons &= ~(1UL << lastColon);
        var prevColon = colons == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(colons);
        var rest = s[start..];
        if (rest[sp] != ' ' || lastColon != sp - 1)
        {
            return -1;
        }
        return (int)SplitEvent(rest, sp, lastColon, prevColon, ref frame);
    }
}
