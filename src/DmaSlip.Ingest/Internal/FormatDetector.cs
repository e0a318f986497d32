using System.IO.Compression;
using DmaSlip.Ingest.Canonical;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Ingest.Internal;

/// <summary>
/// Detects a file's format from its first bytes (magic numbers, then the first data lines) and, where content is
/// ambiguous, its name (docs/INGEST.md "Detection"). Returns null for an unknown format.
/// </summary>
internal static class FormatDetector
{
    public const int HeadBytes = 64 * 1024;

    /// <summary>
    /// Databento's legacy DBZ (before DBN): a zstd skippable frame (magic 0x184D2A50–5F) holding the metadata, then
    /// zstd records. Not read; <c>dbn</c> converts it.
    /// </summary>
    public static bool IsLegacyDbz(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] is >= 0x50 and <= 0x5F && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18;

    public static string LegacyDbzMessage(string path) =>
        $"{path}: legacy Databento DBZ is unsupported; convert it to DBN with the dbn tools (e.g. 'dbn {Path.GetFileName(path)} --dbn -o out.dbn.zst') and ingest that";

    /// <summary>Why a file of no known format is refused, when there is more to say than "unknown".</summary>
    public static string? UnsupportedReason(string path, ReadOnlySpan<byte> head) =>
        IsLegacyDbz(head) || path.EndsWith(".dbz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".dbz.zst", StringComparison.OrdinalIgnoreCase)
            ? LegacyDbzMessage(path)
            : null;

    public static string? Detect(string path, ReadOnlySpan<byte> head)
    {
        if (UnsupportedReason(path, head) is not null)
        {
            return null;
        }
        var name = Path.GetFileName(path);
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return DetectZip(path);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]) || head.StartsWith("DBN"u8))
        {
            return Formats.DbnMbo;
        }
        if (head.StartsWith("PAR1"u8))
        {
            return Formats.Parquet;
        }
        var text = Ascii.Trim(head);
        if (text.Length > 0 && (text[0] == '[' || text[0] == '{'))
        {
            return name.Equals("scenario.json", StringComparison.OrdinalIgnoreCase) || text[0] == '{' ? Formats.Scenario : Formats.Inventory;
        }
        return DetectText(path, name, head);
    }

    private static string? DetectZip(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.Entries.FirstOrDefault(e => e.Length > 0);
            var n = (entry?.Name ?? "").ToLowerInvariant();
            return n.Contains("_quote", StringComparison.Ordinal) ? Formats.LeanQuote
                : n.Contains("_trade", StringComparison.Ordinal) ? Formats.LeanTrade
                : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string? DetectText(string path, string name, ReadOnlySpan<byte> head)
    {
        var lower = name.ToLowerInvariant();
        var full = path.Replace('\\', '/');
        // single-value sysfs/procfs files are recognised by their path
        if (lower == "type" && full.Contains("iommu_groups/", StringComparison.Ordinal))
        {
            return Formats.IommuGroupType;
        }
        if (lower == "numa_node")
        {
            return Formats.NumaNode;
        }
        if (lower == "cmdline")
        {
            return Formats.Cmdline;
        }
        if (lower is "uname-r" or "uname-r.txt" or "osrelease")
        {
            return Formats.UnameR;
        }
        if (lower.EndsWith("_quote.csv", StringComparison.Ordinal) || lower.EndsWith("_quote_tick.csv", StringComparison.Ordinal))
        {
            return Formats.LeanQuote;
        }
        if (lower.EndsWith("_trade.csv", StringComparison.Ordinal) || lower.EndsWith("_trade_tick.csv", StringComparison.Ordinal))
        {
            return Formats.LeanTrade;
        }
        if (lower.Contains("_message_", StringComparison.Ordinal) && lower.EndsWith(".csv", StringComparison.Ordinal))
        {
            return Formats.LobsterMessage;
        }
        if (lower.Contains("_orderbook_", StringComparison.Ordinal) && lower.EndsWith(".csv", StringComparison.Ordinal))
        {
            return Formats.LobsterOrderbook;
        }
        var pos = 0;
        var seen = 0;
        string? traceGuess = null;
        while (pos < head.Length && seen < 20)
        {
            var nl = head[pos..].IndexOf((byte)'\n');
            var line = nl < 0 ? head[pos..] : head[pos..(pos + nl)];
            pos = nl < 0 ? head.Length : pos + nl + 1;
            var t = Ascii.Trim(line);
            if (t.IsEmpty)
            {
                continue;
            }
            if (t.StartsWith("# tracer:"u8))
            {
                return Formats.Ftrace;
            }
            if (t.StartsWith("# started on"u8) || t.StartsWith("Performance counter stats for"u8)
                || (t[0] == '#' && t.IndexOf("time"u8) > 0 && t.IndexOf("counts"u8) > 0 && t.IndexOf("events"u8) > 0))
            {
                return Formats.PerfStat;
            }
            if (t.StartsWith("# captured on"u8) || t.StartsWith("# perf version"u8))
            {
                return Formats.PerfScript; // perf script --header
            }
            if (t[0] == '#')
            {
                continue;
            }
            seen++;
            if (Snapshots.IsTimestampLine(t))
            {
                continue;
            }
            var guess = Classify(t, lower);
            if (guess is not null)
            {
                if (guess == "trace")
                {
                    traceGuess ??= TraceFlavour(t);
                    continue;
                }
                return guess;
            }
        }
        return traceGuess;
    }

    private static string? Classify(ReadOnlySpan<byte> t, string lowerName)
    {
        if (t.IndexOf("8=FIX"u8) >= 0)
        {
            return Formats.Fix;
        }
        if (t.StartsWith("NIC statistics:"u8) || t.IndexOf("ethtool -S "u8) >= 0 || t.IndexOf("ethtool --statistics "u8) >= 0)
        {
            return Formats.EthtoolStats;
        }
        if (t.StartsWith("driver:"u8))
        {
            return Formats.EthtoolInfo;
        }
        if (t.StartsWith("IOMMU: dmar"u8) || t.IndexOf("<0.1us"u8) >= 0)
        {
            return Formats.DmarPerfLatency;
        }
        if (t.StartsWith("CPU0"u8))
        {
            return Formats.Interrupts;
        }
        if (CanonicalTables.MatchHeader(t) is not null)
        {
            return Formats.CanonicalCsv;
        }
        if (TraceFrame.Parse(t, out _) == TraceLineKind.Event)
        {
            return "trace";
        }
        if (Counters.SoftnetParser.LooksLikeSoftnet(t))
        {
            return Formats.SoftnetStat;
        }
        if (Counters.InterruptsParser.LooksLikeRow(t))
        {
            return Formats.Interrupts;
        }
        if (((t.IndexOf("dmar"u8) >= 0 || t.IndexOf("amd_iommu_"u8) >= 0) && (t.IndexOf((byte)';') >= 0 || t.IndexOf((byte)',') >= 0))
            || Counters.PerfStatParser.LooksLikeRow(t))
        {
            return Formats.PerfStat;
        }
        if (lowerName.Contains("ethtool", StringComparison.Ordinal) && t.IndexOf((byte)':') > 0)
        {
            return Formats.EthtoolStats;
        }
        return null;
    }

    private static string TraceFlavour(ReadOnlySpan<byte> t)
    {
        TraceFrame.Parse(t, out var f);
        if (!f.System.IsEmpty)
        {
            return Formats.PerfScript;
        }
        // perf script prints "comm pid [cpu]" (or "comm pid/tid"), trace-cmd and ftrace "comm-pid [cpu]"
        var open = t.IndexOf((byte)'[');
        if (open > 0)
        {
            var prefix = Ascii.Trim(t[..open]);
            var sp = prefix.LastIndexOf((byte)' ');
            var last = sp < 0 ? prefix : prefix[(sp + 1)..];
            var slash = last.IndexOf((byte)'/');
            if (sp > 0 && Ascii.TryLong(slash > 0 ? last[..slash] : last, out _))
            {
                return Formats.PerfScript;
            }
        }
        // ftrace has a flags column between "[cpu]" and the timestamp; trace-cmd report does not
        var close = t.IndexOf((byte)']');
        if (close > 0)
        {
            var after = Ascii.Trim(t[(close + 1)..]);
            return after.Length > 0 && !Ascii.IsDigit(after[0]) ? Formats.Ftrace : Formats.TraceCmd;
        }
        return Formats.TraceCmd;
    }
}
