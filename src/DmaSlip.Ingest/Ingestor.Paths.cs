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
                var files = Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).ToList();
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
}
