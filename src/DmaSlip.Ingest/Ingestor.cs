using System.IO.Compression;
using System.Security.Cryptography;
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
    public IReadOnlyList<FileResult> Ingest(IEnumerable<string> paths)
    {
        var results = new List<FileResult>();
        var configFiles = new List<(string Path, string Format, string? Host)>();
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
            results.Add(IngestOne(file, format, host));
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
        string hash;
        long bytes;
        List<string> prefixOf;
        try
        {
            (hash, bytes, prefixOf) = HashFile(path, sink.EarlierIngestsOf(path, new FileInfo(path).Length));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new FileResult(path, format, 0, 0, 0, false, $"cannot read: {ex.Message}");
        }
        // The same content again adds nothing, unless the earlier run was under another format and landed no record
        // (a wrong --format): that run is replaced, so it does not lock the file out of the right ingest.
        var prior = sink.IngestedAs(hash);
        var replacePrior = prior is { Records: 0, Format.Length: > 0 } p && p.Format != format;
        if (prior is not null && !replacePrior)
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
                    sink.ForgetFile(hash);
                }
                // Earlier ingests of this path whose content is the start of this file's (it was still being written)
                // are replaced by this ingest of the whole file, in this unit: the store then holds one whole ingest.
                foreach (var earlier in prefixOf)
                {
                    sink.ForgetFile(earlier);
                }
                if (format == Formats.Parquet)
                {
                    ImportParquet(path, ctx);
                }
                else
                {
                    using var input = Open(path, format);
                    Formats.Create(format, options.ParseThreads ?? Environment.ProcessorCount).Parse(input, ctx);
                    ctx.FlushHostEvents();
                }
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
                    var hash = HashFile(path);
                    var duplicate = sink.ContainsFile(hash);
                    // a file ingested before still contributes its facts to the host row; its rows are not written again
                    var target = duplicate ? (IIngestSink)new MemorySink() : sink;
                    var ctx = new FileContext(target, path, hash, format, host, SnapshotTs(path));
                    using (var input = Open(path, format))
                    {
                        new HostConfigParser(config, format, path).Parse(input, ctx);
                    }
                    config.ObserveTime(ctx.SnapshotTsNs);
                    if (!duplicate)
                    {
                        sink.Add(new IngestFile(hash, path, format, host, ctx.Records, ctx.Skipped, ctx.Quarantined, Now()));
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
            return new OwningStream(entry.Open(), zip, entry.Length, options.Progress);
        }
        return new OwningStream(s, null, s.Length, options.Progress);
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

    private static string HashFile(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    /// <summary>
    /// SHA-256 of the file's content and its length, and which of <paramref name="earlier"/> (content hash and length
    /// of earlier ingests, by length) hashed the first bytes of this content: one read of the file.
    /// </summary>
    private static (string Hash, long Bytes, List<string> PrefixOf) HashFile(string path, IReadOnlyList<(string ContentHash, long Bytes)> earlier)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var prefixOf = new List<string>();
        long read = 0;
        var next = 0;
        while (true)
        {
            for (; next < earlier.Count && earlier[next].Bytes <= read; next++)
            {
                if (earlier[next].Bytes == read && earlier[next].Bytes > 0
                    && Convert.ToHexStringLower(sha.GetCurrentHash()) == earlier[next].ContentHash)
                {
                    prefixOf.Add(earlier[next].ContentHash);
                }
            }
            var want = next < earlier.Count ? (int)Math.Min(buffer.Length, earlier[next].Bytes - read) : buffer.Length;
            var n = fs.Read(buffer, 0, want);
            if (n == 0)
            {
                break;
            }
            sha.AppendData(buffer, 0, n);
            read += n;
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), read, prefixOf);
    }
}
