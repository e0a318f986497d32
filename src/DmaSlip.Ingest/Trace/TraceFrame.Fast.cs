using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

internal ref partial struct TraceFrame
{
    private static ReadOnlySpan<long> Pow10 => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    /// <summary>
    /// The framing of nearly every real line in one backward walk from the first <c>": "</c>:
    /// <c>comm-pid [cpu] flags secs.frac: </c> (ftrace; trace-cmd without flags) and <c>comm tid [cpu] secs.frac: </c>
    /// (perf script). It accepts a line only when the general path (<see cref="FindTimestamp"/> then
    /// <see cref="ParsePrefix"/>) would give the same timestamp and cpu — the first <c>": "</c> ends a valid timestamp,
    /// only single-space-separated tokens, a cpu of 1–9 digits, a comm ending in <c>-pid</c> or <c> tid</c> — and
    /// returns false for anything else, which then takes the general path. Why: the general path re-scans the prefix
    /// several times (trims, last '[', last ' ', last '-'), about half the parse time of a line.
    /// </summary>
    private static bool TryFastFraming(ReadOnlySpan<byte> s, out int tsEnd, out long tsNs, out int cpu)
    {
        tsNs = 0;
        cpu = -1;
        var j = s.IndexOf(": "u8);
        tsEnd = j;
        var e = j - 1;
        while (e >= 0 && (Ascii.IsDigit(s[e]) || s[e] == '.'))
        {
            e--;
        }
        // e is the space before the timestamp; a line whose timestamp starts it has no comm (general path: garbage)
        if (e < 1 || e == j - 1 || s[e] != ' ' || !TrySeconds(s[(e + 1)..j], out tsNs))
        {
            return false;
        }
        while (e >= 0 && s[e] == ' ')
        {
            e--;
        }
        var flagsEnd = e;
        while (e >= 0 && IsFlagChar(s[e]))
        {
            e--;
        }
        if (flagsEnd - e > 8)
        {
            return false;
        }
        while (e >= 0 && s[e] == ' ')
        {
            e--;
        }
        if (e < 0 || s[e] != ']')
        {
            return false;
        }
        var cpuEnd = e--;
        while (e >= 0 && Ascii.IsDigit(s[e]))
        {
            e--;
        }
        // 1-9 digits (more: let the general path decide about overflow)
        if (cpuEnd - e - 1 is < 1 or > 9 || e < 0 || s[e] != '[')
        {
            return false;
        }
        var c = 0;
        for (var i = e + 1; i < cpuEnd; i++)
        {
            c = (c * 10) + (s[i] - '0');
        }
        e--;
        while (e >= 0 && s[e] == ' ')
        {
            e--;
        }
        var pidEnd = e;
        while (e >= 0 && Ascii.IsDigit(s[e]))
        {
            e--;
        }
        if (e == pidEnd || e < 1 || (s[e] != '-' && s[e] != ' '))
        {
            return false;
        }
        cpu = c;
        return true;
    }

    // exactly digits{1,11} '.' digits{1,9}: what FindTimestamp accepts (a '.' not first, Ascii.TrySecondsToNs)
    private static bool TrySeconds(ReadOnlySpan<byte> t, out long ns)
    {
        ns = 0;
        var dot = t.IndexOf((byte)'.');
        if (dot is < 1 or > 11 || t.Length - dot - 1 is < 1 or > 9)
        {
            return false;
        }
        long sec = 0;
        for (var i = 0; i < dot; i++)
        {
            sec = (sec * 10) + (t[i] - '0');
        }
        long frac = 0;
        for (var i = dot + 1; i < t.Length; i++)
        {
            var d = t[i] - '0';
            if ((uint)d > 9)
            {
                return false; // a second '.'
            }
            frac = (frac * 10) + d;
        }
        ns = (sec * 1_000_000_000) + (frac * Pow10[9 - (t.Length - dot - 1)]);
        return true;
    }

    private static bool IsFlagChar(byte c) => c == '.' || Ascii.IsDigit(c) || (uint)((c | 0x20) - 'a') <= 25;
}
