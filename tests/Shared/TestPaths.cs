namespace DmaSlip.Testing;

/// <summary>Where tests find the repository and the small real data sets checked in under <c>tests/data/</c>.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>
    /// A path under <c>tests/data/</c> of this checkout (real market data with its source and licence in
    /// <c>tests/data/README.md</c>). Tests never read outside the checkout, so a bare clone passes them.
    /// </summary>
    public static string Data(params string[] parts) =>
        Path.GetFullPath(Path.Combine([RepoRoot, "tests", "data", .. parts]));

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
