using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>The fast path of <see cref="PerfStatParser"/> for the common <c>perf stat -I -A -x,</c> row, and its per-interval key comparer.</summary>
internal sealed partial class PerfStatParser
{
    private readonly Dictionary<string, (string? Pmu, string? Evt, bool Tracepoint)> _events = new(ReferenceEqualityComparer.Instance);
    private readonly string?[] _cpus = new string?[256];

    /// <summary>
    /// The common row of <c>perf stat -I -A -x,</c> without splitting it into strings: <c>secs,CPU&lt;n&gt;,count,unit,event,...</c>
    /// with an integer count and an event field that is a whole tracepoint or PMU event (no separator inside). Gives
    /// what <see cref="TrySplit"/> gives for such a row (a test compares them on every row shape); false for any other
    /// row, which <see cref="TrySplit"/> then reads.
    /// </summary>
    internal bool TryPlainCsv(ReadOnlySpan<byte> t, StringCache strings, out long tsOffset, out double? value, out string? pmu, out string? evt)
    {
        tsOffset = 0;
        value = null;
        pmu = evt = null;
        if (t.IndexOfAny((byte)';', (byte)' ', (byte)'\t') >= 0)
        {
            return false;
        }
        Span<Range> f = stackalloc Range[6];
        if (Ascii.Split(t, f, (byte)',') < 5)
        {
            return false; // an event field ends the row, or the row is not this layout
        }
        var secs = t[f[0]];
        var agg = t[f[1]];
        var count = t[f[2]];
        var e = t[f[4]];
        if (secs.IndexOf((byte)'.') < 0 || !Ascii.TrySecondsToNs(secs, out var off)
            || agg.Length is < 4 or > 6 || !agg.StartsWith("CPU"u8) || !Ascii.AllDigits(agg[3..])
            || count.Length is 0 or > 15 || !Ascii.AllDigits(count) || e.IsEmpty || (e.IndexOf((byte)'/') >= 0 && e[^1] != (byte)'/'))
        {
            return false;
        }
        long v = 0;
        foreach (var c in count)
        {
            v = (v * 10) + (c - '0');
        }
        var name = strings.Get(e);
        if (!_events.TryGetValue(name, out var kind))
        {
            Event(name, out var p, out var n);
            kind = (p, n, p is null && IsTracepoint(name));
            _events[name] = kind;
        }
        tsOffset = off;
        value = v;
        if (kind.Pmu is not null)
        {
            (pmu, evt) = (kind.Pmu, kind.Evt);
        }
        else if (kind.Tracepoint)
        {
            (pmu, evt) = (Cpu(agg[3..]), name);
        }
        return true;
    }

    /// <summary>"cpu" and the CPU number of a CPU&lt;n&gt; aggregation id, one string per CPU.</summary>
    private string Cpu(ReadOnlySpan<byte> digits)
    {
        if (digits.Length <= 3 && digits[0] != (byte)'0' || digits.Length == 1)
        {
            var n = 0;
            foreach (var c in digits)
            {
                n = (n * 10) + (c - '0');
            }
            if (n < _cpus.Length)
            {
                return _cpus[n] ??= "cpu" + System.Text.Encoding.ASCII.GetString(digits);
            }
        }
        return "cpu" + System.Text.Encoding.ASCII.GetString(digits);
    }

    /// <summary>
    /// Equality of (PMU or CPU, event, time) keys as the default comparer has it, with a cheap hash: the strings are a
    /// handful of interned names (the fast path), so the time, their lengths and a few of their characters tell them
    /// apart without hashing every character of both on every row.
    /// </summary>
    private sealed class CounterKeyComparer : IEqualityComparer<(string Pmu, string Event, long Ts)>
    {
        public static readonly CounterKeyComparer Instance = new();

        public bool Equals((string Pmu, string Event, long Ts) x, (string Pmu, string Event, long Ts) y) =>
            x.Ts == y.Ts && (ReferenceEquals(x.Pmu, y.Pmu) || string.Equals(x.Pmu, y.Pmu, StringComparison.Ordinal))
            && (ReferenceEquals(x.Event, y.Event) || string.Equals(x.Event, y.Event, StringComparison.Ordinal));

        public int GetHashCode((string Pmu, string Event, long Ts) k) =>
            HashCode.Combine(k.Ts, Sketch(k.Pmu), Sketch(k.Event));

        private static int Sketch(string s) => s.Length == 0 ? 0 : (s.Length * 65_599) ^ (s[^1] * 257) ^ s[s.Length / 2] ^ (s[0] << 20);
    }
}
