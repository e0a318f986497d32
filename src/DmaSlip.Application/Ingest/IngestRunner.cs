using DmaSlip.Ingest;
using DmaSlip.Storage;

namespace DmaSlip.Application.Ingest;

/// <summary><c>dmaslip ingest</c>'s work: files and folders through the parsers into the store.</summary>
internal static class IngestRunner
{
    /// <summary>
    /// Ingests <paramref name="inputs"/>; <paramref name="progress"/>, when given, hears (bytes done over all inputs,
    /// total bytes) as parsing advances.
    /// </summary>
    public static IReadOnlyList<FileResult> Run(DmaSlipStore store, IReadOnlyList<string> inputs, IngestOptions options, Action<long, long>? progress = null)
    {
        using var sink = new StoreIngestSink(store);
        if (progress is null)
        {
            return new Ingestor(sink, options, TimeProvider.System).Ingest(inputs);
        }
        var total = TotalBytes(inputs);
        long done = 0;
        long fileDone = 0;
        var withProgress = options with
        {
            Progress = (read, _) =>
            {
                if (read < fileDone)
                {
                    done += fileDone; // a new file started
                }
                fileDone = read;
                progress(Math.Min(total, done + read), total);
            },
        };
        var results = new Ingestor(sink, withProgress, TimeProvider.System).Ingest(inputs);
        progress(total, total);
        return results;
    }

    /// <summary>Bytes under the inputs (files, and every file below a folder).</summary>
    public static long TotalBytes(IReadOnlyList<string> inputs) => inputs.Sum(SizeOf);

    // what cannot be listed counts 0: the ingest reports it as that folder's error
    private static long SizeOf(string p) =>
        File.Exists(p) ? new FileInfo(p).Length
        : Directory.Exists(p) ? new DirectoryInfo(p).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Sum(f => f.Length)
        : 0;
}
