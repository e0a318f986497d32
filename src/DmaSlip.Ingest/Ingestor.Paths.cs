namespace DmaSlip.Ingest;

public sealed partial class Ingestor
{
    /// <summary>
    /// Host of a file from its path: <c>.../hosts/&lt;host&gt;/...</c> or <c>.../fix/&lt;host&gt;.fix.log</c>; null otherwise
    /// (a parser may still find it in the data, e.g. perf script's "# hostname :" header).
    /// </summary>
    public static string? HostFromPath(string path)
    {
        var parts = Path.GetFullPath(path).Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 3; i >= 0; i--)
        {
            if (parts[i] == "hosts")
            {
                return parts[i + 1];
            }
        }
        if (parts.Length >= 2 && parts[^2] == "fix" && parts[^1].EndsWith(".fix.log", StringComparison.Ordinal))
        {
            return parts[^1][..^".fix.log".Length];
        }
        return null;
    }

    private static IEnumerable<string> Expand(IEnumerable<string> paths, List<FileResult> results)
    {
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                var files = new List<string>();
                Walk(p, files, results, new HashSet<string>(StringComparer.Ordinal));
                files.Sort(StringComparer.Ordinal);
                foreach (var f in files)
                {
                    yield return f;
                }
            }
            else if (File.Exists(p))
            {
                yield return p;
            }
            else
            {
                results.Add(new FileResult(p, "unknown", 0, 0, 0, false, "no such file or folder"));
            }
        }
    }

    /// <summary>
    /// Every file under a folder; a subfolder that cannot be listed is one error result (the others still land).
    /// Each real folder is walked once, so a cycle of symbolic links cannot loop.
    /// </summary>
    private static void Walk(string dir, List<string> files, List<FileResult> results, HashSet<string> visited)
    {
        try
        {
            var real = new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(dir);
            if (!visited.Add(real))
            {
                return;
            }
        }
        catch (IOException ex)
        {
            results.Add(new FileResult(dir, "folder", 0, 0, 0, false, $"cannot read folder: {ex.Message}"));
            return;
        }
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            results.Add(new FileResult(dir, "folder", 0, 0, 0, false, $"cannot read folder: {ex.Message}"));
            return;
        }
        foreach (var e in entries)
        {
            var info = new FileInfo(e);
            if ((info.Attributes & FileAttributes.Directory) != 0)
            {
                Walk(e, files, results, visited);
            }
            else
            {
                files.Add(e);
            }
        }
    }
}
