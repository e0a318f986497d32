namespace DmaSlip.Testing;

/// <summary>
/// The built <c>dmaslip</c> executable, for tests that drive it as a user does (a child process) without compiling
/// against the CLI: their project references the CLI with <c>ReferenceOutputAssembly="false"</c> (built first, not
/// referenced) and runs <c>src/DmaSlip.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/dmaslip.dll</c>.
/// </summary>
internal static class DmaSlipExe
{
    public static string Dll
    {
        get
        {
            // AppContext.BaseDirectory is tests/<project>/bin/<configuration>/<tfm>/: the CLI was built the same way.
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfm.Parent!.Name;
            var dll = Path.Combine(TestPaths.RepoRoot, "src", "DmaSlip.Cli", "bin", configuration, tfm.Name, "dmaslip.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"dmaslip is not built at '{dll}'.", dll);
        }
    }
}
