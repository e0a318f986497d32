using System.Diagnostics;

namespace DmaSlip.Cli.Tests;

/// <summary>Runs <c>dmaslip</c> in-process (fast) or as a child process (when another process must exist).</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static (int Exit, string Out, string Err) RunProcess(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dmaslip.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("dmaslip did not exit in 5 minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
