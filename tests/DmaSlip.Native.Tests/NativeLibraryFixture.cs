using System.Diagnostics;
using DmaSlip.Testing;

namespace DmaSlip.Native.Tests;

/// <summary>
/// Builds the native library once for the test class with <c>scripts/build-native.sh</c> (as a user would) into a
/// temporary folder, and compiles C programs against its <c>dmaslip.h</c> and <c>libdmaslip.so</c> with the system
/// C compiler (<c>cc</c>, else <c>clang</c>).
/// </summary>
public sealed class NativeLibraryFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public NativeLibraryFixture()
    {
        OutDir = Path.Combine(_dir.Path, "out");
        var (exit, stdout, stderr) = Run(Path.Combine(TestPaths.RepoRoot, "scripts", "build-native.sh"), [OutDir], timeout: TimeSpan.FromMinutes(10));
        if (exit != 0)
        {
            throw new InvalidOperationException($"build-native.sh failed ({exit}): {stdout}\n{stderr}");
        }
        Compiler = File.Exists("/usr/bin/cc") ? "cc" : "clang";
    }

    /// <summary>Where build-native.sh wrote libdmaslip.so and dmaslip.h.</summary>
    public string OutDir { get; }

    public string Compiler { get; }

    /// <summary>Compiles one C file with warnings as errors against OUT; returns the executable's path.</summary>
    public string Compile(string source, string name)
    {
        var exe = Path.Combine(_dir.Path, name);
        var (exit, stdout, stderr) = Run(Compiler,
            ["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I" + OutDir, source, "-L" + OutDir, "-ldmaslip", "-lm", "-Wl,-rpath," + OutDir, "-o", exe]);
        return exit == 0 ? exe : throw new InvalidOperationException($"{Compiler} {source} failed ({exit}): {stdout}\n{stderr}");
    }

    public static (int Exit, string Stdout, string Stderr) Run(string file, IReadOnlyList<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish");
        }
        return (p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }

    public void Dispose() => _dir.Dispose();
}
