namespace DmaSlip.Reports.Tests.Browser;

/// <summary>
/// Where browser tests leave their screenshots for a human to look at: <c>DMASLIP_TEST_ARTIFACTS</c>, else
/// <c>artifacts/</c> beside the test assembly.
/// </summary>
internal static class Artifacts
{
    public static string Dir { get; } = Environment.GetEnvironmentVariable("DMASLIP_TEST_ARTIFACTS") is { Length: > 0 } d
        ? d
        : Path.Combine(AppContext.BaseDirectory, "artifacts");

    public static string Save(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Dir);
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
