using System.Security.Cryptography;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest;

public sealed partial class Ingestor
{
    /// <summary>Files at least this long are parsed while they are hashed (see <see cref="IngestHashingAlongside"/>).</summary>
    internal const long HashAlongsideBytes = 8L << 20;

    /// <summary>
    /// The identity a file is ingested under (<c>ingest_files.content_hash</c>, and the source of its host events): the
    /// SHA-256 of its content when its host comes from the content itself (or it has none), else the SHA-256 of that
    /// hash and the host it is attributed to (its path's <c>hosts/&lt;host&gt;/</c> or <c>--host</c>). So the same bytes
    /// from two hosts of an identical fleet land once for each host, and once only for the same host.
    /// </summary>
    public static string Identity(string contentHash, string? host) =>
        host is null ? contentHash : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contentHash + "\n" + host)));

    /// <summary>
    /// The earlier ingest of this content for this host: under its identity, or (a database written before identities
    /// held the host) under the bare content hash with the same host. Null when there is none.
    /// </summary>
    private (string Key, (string Format, long Records) Prior)? EarlierIngest(string contentHash, string? host)
    {
        var id = Identity(contentHash, host);
        if (sink.IngestedAs(id) is { } prior)
        {
            return (id, prior);
        }
        return host is not null && id != contentHash && sink.IngestedFor(contentHash, host) is { } legacy ? (contentHash, legacy) : null;
    }

    /// <summary>
    /// The ingest of a large file that no earlier ingest can match (no ingest of this path before, none of this length):
    /// its content is hashed on another thread while it is parsed and stored, under a placeholder identity that the
    /// sink replaces with the real one at the end of the unit (<see cref="IIngestSink.Rekey"/>), so the hash costs the
    /// ingest no time. Were the content found ingested after all, the unit is rolled back: nothing is added.
    /// </summary>
    private FileResult IngestHashingAlongside(string path, string format, string? host)
    {
        var placeholder = "pending" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(29))[..57];
        // at the normal priority, unlike the trace parse's reader and workers (HelperThreads): the hash is one piece of
        // work the commit waits for, so it should end early; the parse's chunks are shared out as they come
        var hashing = Task.Factory.StartNew(() => HashFile(path, [], null), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var ctx = new FileContext(sink, path, placeholder, format, host, SnapshotTs(path)) { Device = options.Device };
        try
        {
            sink.Atomically(() =>
            {
                Parse(path, format, ctx);
                var (content, bytes, _) = hashing.GetAwaiter().GetResult();
                var hash = Identity(content, host);
                var earlier = EarlierIngest(content, host);
                var replacePrior = ReplacesPrior(earlier?.Prior, format, out var duplicate);
                if (duplicate)
                {
                    throw new DuplicateContentException();
                }
                if (replacePrior)
                {
                    sink.ForgetFile(earlier!.Value.Key);
                }
                sink.Rekey(placeholder, hash);
                sink.Add(new IngestFile(hash, path, format, ctx.Host, ctx.Records, ctx.Skipped, ctx.Quarantined, Now()));
                sink.RecordBytes(hash, bytes);
            });
        }
        catch (DuplicateContentException)
        {
            return new FileResult(path, format, 0, 0, 0, true);
        }
        catch (Exception ex) when (ex is IngestException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return new FileResult(path, format, 0, 0, 0, false, ex.Message);
        }
        finally
        {
            // a parse that failed first leaves the hash running: let it end before the file is closed for good
            try
            {
                hashing.Wait();
            }
            catch (AggregateException)
            {
            }
        }
        return ctx.Result();
    }

    /// <summary>
    /// The SHA-256 of the file's content and its length, and which of <paramref name="earlier"/>
    /// (identity and length of earlier ingests of this path, by length) hashed the first bytes of this content: one read
    /// of the file.
    /// </summary>
    private static (string Content, long Bytes, List<string> PrefixOf) HashFile(string path, IReadOnlyList<(string ContentHash, long Bytes)> earlier, string? host)
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
                if (earlier[next].Bytes == read && earlier[next].Bytes > 0)
                {
                    var content = Convert.ToHexStringLower(sha.GetCurrentHash());
                    if (earlier[next].ContentHash == Identity(content, host) || earlier[next].ContentHash == content)
                    {
                        prefixOf.Add(earlier[next].ContentHash);
                    }
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

    private static string HashFile(string path)
    {
        using var fs = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    /// <summary>The content turned out to be ingested already (found only once hashed): the unit is rolled back.</summary>
    private sealed class DuplicateContentException : Exception;
}
