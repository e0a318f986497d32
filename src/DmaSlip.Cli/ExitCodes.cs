namespace DmaSlip.Cli;

/// <summary>Process exit codes of <c>dmaslip</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A check or drill ran and failed.</summary>
    public const int CheckFailed = 1;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;
    /// <summary>An input (file, database, config) could not be used.</summary>
    public const int Input = 3;
}
