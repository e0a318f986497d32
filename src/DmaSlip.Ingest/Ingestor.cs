using System.IO.Compression;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest;

/// <summary>
/// Ingests files and folders: detects each file's format, streams it through its parser into the sink, and records
/// it in <c>ingest_files</c> by content hash — one atomic unit per file, so a killed run leaves whole files only and a
/// rerun adds exactly what is missing. Host-config files (ethtool -i, /proc/cmdline, uname -r, sysfs) of one host
/// are one unit together, because together they make that host's <c>hosts</c> row and fingerprint.
/// </summary>
public sealed partial class Ingestor(IIngestSink sink, IngestOptions options, TimeProvider time)
{
    private readonly object _progressGate = new();

    /// <summary>The run's progress callback, called by one thread at a time (a prefetched file is read on another).</summary>
    private Action<long, long>? SyncedProgress => options.Progress is { } report ? (done, total) =>
    {
        lock (_progressGate)
        {
            report(done, total);
        }
    } : null;

    public IReadOnlyList<FileResult> Ingest(IEnumerable<string> paths)
    {
        var results = new List<FileResult>();
        var configFiles = new List<(string Path, string Format, string? Host)>();
        var pending = new List<(int Slot, string File, string Format, string? Host)>();
        foreach (var file in Expand(paths, results))
        {
            string? format;
            try
            {
                format = options.Format ?? Detect(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                results.Add(new FileResult(file, "unknown", 0, 0, 0, false, $"cannot read: {ex.Message}"));
                continue;
            }
            if (format is null)
            {
                results.Add(new FileResult(file, "unknown", 0, 0, 0, false, UnsupportedReason(file) ?? "not a known format (see docs/INGEST.md)"));
                continue;
            }
            var host = options.Host ?? HostFromPath(file);
            if (Formats.IsHostConfig(format))
            {
                configFiles.Add((file, format, host));
                continue;
            }
            pending.Add((results.Count, file, format, host));
            results.Add(null!); // its slot: results stay in file order
        }
        // the next file is read, hashed and parsed on another thread while the store writes this one; so is the first
        // when its parser runs on one thread (a trace's parse is parallel itself)
        Prefetch? next = null;
        for (var i = 0; i < pending.Count; i++)
        {
            var (slot, file, format, host) = pending[i];
            var current = next ?? (i == 0 && CanPrefetch(format) && !Formats.ParsesInParallel(format) ? StartPrefetch(file, format, host) : null);
            next = i + 1 < pending.Count && CanPrefetch(pending[i + 1].Format)
                ? StartPrefetch(pending[i + 1].File, pending[i + 1].Format, pending[i + 1].Host) : null;
            try
            {
                results[slot] = current is null ? IngestOne(file, format, host) : IngestPrefetched(current, file, format, host);
            }
            catch
            {
                next?.Abandon();
                throw;
            }
        }
        foreach (var group in configFiles.GroupBy(c => c.Host ?? "", StringComparer.Ordinal))
        {
            results.AddRange(IngestConfigGroup(group.Key.Length == 0 ? null : group.Key, group.ToList()));
        }
        return results;
    }

    /// <summary>The format detection would pick for a file, or null.</summary>
    public static string? Detect(string path)
    {
        using var fs = File.OpenRead(path);
        var head = new byte[FormatDetector.HeadBytes];
        var n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return FormatDetector.Detect(path, head.AsSpan(0, n));
    }

    private static string? UnsupportedReason(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            var head = new byte[4];
            var n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return FormatDetector.UnsupportedReason(path, head.AsSpan(0, n));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private FileResult IngestOne(string path, string format, string? host)
    {
        long length;
        IReadOnlyList<(string ContentHash, long Bytes)> earlier;
        try
        {
            length = new FileInfo(path).Length;
            earlier = sink.EarlierIngestsOf(path, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileResult(path, format, 0, 0, 0, false, $"cannot read: {ex.Message}");
        }
        if (format != Formats.Parquet && length >= HashAlongsideBytes && earlier.Count == 0 && sink.CanRekey && !sink.MayHoldContentOf(length))
        {
            return IngestHashingAlongside(path, format, host);
        }
        string content;
        long bytes;
        List<string> prefixOf;
        try
        {
            (content, bytes, prefixOf) = HashFile(path, earlier, host);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileResult(path, format, 0, 0, 0, false, $"cannot read: {ex.Message}");
        }
        // The same content again adds nothing, unless the earlier run was under another format and landed no record
        // (a wrong --format): that run is replaced, so it does not lock the file out of the right ingest.
        var hash = Identity(content, host);
        var prior = EarlierIngest(content, host);
        var replacePrior = ReplacesPrior(prior?.Prior, format, out var duplicate);
        if (duplicate)
        {
            return new FileResult(path, format, 0, 0, 0, true);
        }
        var ctx = new FileContext(sink, path, hash, format, host, SnapshotTs(path)) { Device = options.Device };
        try
        {
            sink.Atomically(() =>
            {
                if (replacePrior)
                {
                    sink.ForgetFile(prior!.Value.Key);
                }
                // Earlier ingests of this path whose content is the start of this file's (it was still being written)
                // are replaced by this ingest of the whole file, in this unit: the store then holds one whole ingest.
                foreach (var earlierHash in prefixOf)
                {
                    sink.ForgetFile(earlierHash);
                }
                Parse(path, format, ctx);
                sink.Add(new IngestFile(hash, path, format, ctx.Host, ctx.Records, ctx.Skipped, ctx.Quarantined, Now()));
                sink.RecordBytes(hash, bytes);
            });
        }
        catch (Exception ex) when (ex is IngestException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new FileResult(path, format, 0, 0, 0, false, ex.Message);
        }
        return ctx.Result();
    }

    private void Parse(string path, string format, FileContext ctx)
    {
        if (format == Formats.Parquet)
        {
            ImportParquet(path, ctx);
        }
        else
        {
            using var input = Open(path, format);
            Formats.Create(format, options.ParseThreads ?? Environment.ProcessorCount).Parse(input, ctx);
            ctx.Flush();
        }
    }

    /// <summary>
    /// Whether an earlier ingest of the same file identity is replaced (it ran under another format and landed no
    /// record: a wrong --format), or makes this one a duplicate that adds nothing.
    /// </summary>
    private static bool ReplacesPrior((string Format, long Records)? prior, string format, out bool duplicate)
    {
        var replace = prior is { Records: 0, Format.Length: > 0 } p && p.Format != format;
        duplicate = prior is not null && !replace;
        return replace;
    }

    private List<FileResult> IngestConfigGroup(string? host, List<(string Path, string Format, string? Host)> files)
    {
        var results = new List<FileResult>();
        var config = new HostConfig();
        try
        {
            sink.Atomically(() =>
            {
                foreach (var (path, format, _) in files)
                {
                    var content = HashFile(path);
                    var hash = Identity(content, host);
                    var duplicate = EarlierIngest(content, host) is not null;
                    // a file ingested before still contributes its facts to the host row; its rows are not written again
                    var target = duplicate ? (IIngestSink)new MemorySink() : sink;
                    var ctx = new FileContext(target, path, hash, format, host, SnapshotTs(path));
                    using (var input = Open(path, format))
                    {
                        new HostConfigParser(config, format, path).Parse(input, ctx);
                    }
                    ctx.Flush();
                    config.ObserveTime(ctx.SnapshotTsNs);
                    if (!duplicate)
                    {
                        sink.Add(new IngestFile(hash, path, format, host, ctx.Records, ctx.Skipped, ctx.Quarantined, Now()));
                        sink.RecordBytes(hash, new FileInfo(path).Length);
                    }
                    results.Add(new FileResult(path, format, duplicate ? 0 : ctx.Records, duplicate ? 0 : ctx.Skipped, duplicate ? 0 : ctx.Quarantined, duplicate));
                }
                if (host is not null)
                {
                    foreach (var row in config.HostRows(host, options.SnapshotTsNs, options.Pool, sink.KnownHosts(host)))
                    {
                        sink.Add(row);
                    }
                }
            });
        }
        catch (Exception ex) when (ex is IngestException or IOException or UnauthorizedAccessException)
        {
            return files.Select(f => new FileResult(f.Path, f.Format, 0, 0, 0, false, ex.Message)).ToList();
        }
        return results;
    }

    private Stream Open(string path, string format)
    {
        Stream s = File.OpenRead(path);
        if (format is Formats.LeanQuote or Formats.LeanTrade && IsZip(path))
        {
            var zip = new ZipArchive(s, ZipArchiveMode.Read);
            var entry = zip.Entries.FirstOrDefault(e => e.Length > 0) ?? throw new InvalidDataException($"{path}: empty zip");
            return new OwningStream(entry.Open(), zip, entry.Length, SyncedProgress);
        }
        return new OwningStream(s, null, s.Length, SyncedProgress);
    }

    private static bool IsZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var fs = File.OpenRead(path);
        return fs.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PK\u0003\u0004"u8);
    }

    private void ImportParquet(string path, FileContext ctx)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var parent = Path.GetFileName(Path.GetDirectoryName(path) ?? "");
        var table = Canonical.CanonicalTables.ByName(stem)?.Table ?? Canonical.CanonicalTables.ByName(parent)?.Table
            ?? throw new IngestException($"{path}: a Parquet file must be named after its table (e.g. truth_parent.parquet or <table>/*.parquet)");
        if (table == "host_frames" && parent.Equals("truth", StringComparison.Ordinal))
        {
            // The simulator's own frames (truth/host_frames.parquet): parity checks only, never host_frames.
            table = "truth_host_frames";
        }
        ctx.Record(sink.ImportParquet(path, table));
    }

    private long SnapshotTs(string path) =>
        options.SnapshotTsNs ?? (new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero).ToUnixTimeMilliseconds() * Time.NanosPerMilli);

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds() * Time.NanosPerMilli;

}
