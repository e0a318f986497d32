using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Counters;

/// <summary>
/// Base of the snapshot-series parsers (framing in <see cref="Snapshots"/>): timestamp lines start a snapshot and
/// count as no data line; every other non-blank line goes to <see cref="ParseLine"/> with the current timestamp.
/// </summary>
internal abstract class SnapshotParser : IFormatParser
{
    public void Parse(Stream input, FileContext ctx)
    {
        using var reader = new LineReader(input);
        var ts = ctx.SnapshotTsNs;
        var index = 0;
        while (reader.TryRead(out var line, out var offset, out var overlong))
        {
            if (overlong)
            {
                ctx.Quarantine(offset, "line longer than 1 MiB", line);
                continue;
            }
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            if (Snapshots.TryTimestamp(t, out var snapTs))
            {
                ts = snapTs;
                index = 0;
                OnSnapshot();
                continue;
            }
            ParseLine(t, line, offset, ts, index++, ctx);
        }
    }

    protected virtual void OnSnapshot()
    {
    }

    /// <param name="trimmed">The line without surrounding blanks.</param>
    /// <param name="raw">The line as read (for quarantine).</param>
    /// <param name="index">Index of this line within its snapshot.</param>
    protected abstract void ParseLine(ReadOnlySpan<byte> trimmed, ReadOnlySpan<byte> raw, long offset, long tsNs, int index, FileContext ctx);

    /// <summary>Device name from a file name like <c>ethtool-S.eth0.txt</c> → <c>eth0</c>.</summary>
    protected static string DeviceFromName(string path, string prefix)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length + 1)
        {
            var rest = name[(prefix.Length + 1)..];
            return rest.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? rest[..^4] : rest;
        }
        return "";
    }
}
