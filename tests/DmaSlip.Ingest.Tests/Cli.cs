using System.Diagnostics;
using DmaSlip.Testing;

namespace DmaSlip.Ingest.Tests;

/// <summary>Runs the built <c>dmaslip</c> as a child process, as a user does (this project does not compile against the CLI).</summary>
internal static class Cli
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var p = Start(args, pumpOutput: false);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("dmaslip " + string.Join(' ', args) + " did not exit within 5 minutes");
        }
        return (p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static Process Start(params string[] args) => Start(args, pumpOutput: true);

    private static Process Start(string[] args, bool pumpOutput)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(DmaSlipExe.Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        if (pumpOutput)
        {
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
        }
        return p;
    }
}
