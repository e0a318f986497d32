using System.Diagnostics;
using System.Text;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>A child process started by a test, with its output captured; killed (SIGKILL) if still running at dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public ChildProcess(string file, IEnumerable<string> args, string? workDir = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start " + file);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool Running => !_process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>kill -9: no cleanup, no flush, like a crash.</summary>
    public void Kill9()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false); // SIGKILL on Linux
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Waits for the process to end on its own (SIGKILL after <paramref name="timeout"/>); its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill9();
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then wait for a clean exit.</summary>
    public int Terminate(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }
            if (!_process.WaitForExit(timeout))
            {
                Kill9();
            }
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill9();
        _process.Dispose();
    }
}
