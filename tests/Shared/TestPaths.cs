namespace DmaSlip.Testing;

/// <summary>Where tests find the repository and the read-only real data in <c>../shared/data</c>.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>
    /// A path under <c>../shared/data/</c> (relative to the repository root); <c>DMASLIP_SHARED_DATA</c> overrides the
    /// folder for checkouts that do not sit beside <c>shared/</c>.
    /// </summary>
    public static string SharedData(params string[] parts) =>
        Path.GetFullPath(Path.Combine([SharedDataRoot, .. parts]));

    private static string SharedDataRoot =>
        Environment.GetEnvironmentVariable("DMASLIP_SHARED_DATA") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(RepoRoot, "..", "shared", "data");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DmaSlip.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (DmaSlip.slnx) above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder deleted when disposed.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dmaslip-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file; the OS temp cleaner gets it
        }
    }
}
