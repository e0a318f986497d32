using System.Runtime.InteropServices;

namespace DmaSlip.Cli.Internal;

/// <summary>A token that fires on Ctrl+C, SIGTERM or after an optional duration: how long-running commands stop cleanly.</summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;

    public StopSignal(TimeSpan? after = null)
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        if (after is { } d)
        {
            _cts.CancelAfter(d);
        }
    }

    public CancellationToken Token => _cts.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
        _cts.Dispose();
    }
}
