using System.Net;
using System.Net.Sockets;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>
/// A loopback TCP relay between a client and one upstream port; <see cref="Cut"/> closes every relayed connection
/// and refuses new ones (the agent's network is "unplugged") until <see cref="Restore"/>.
/// </summary>
internal sealed class TcpProxy : IDisposable
{
    private readonly int _upstream;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accept = Task.CompletedTask;

    public TcpProxy(int upstream)
    {
        _upstream = upstream;
        Port = Ports.Free();
        Restore();
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public void Cut()
    {
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var c in _open)
            {
                c.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore()
    {
        if (_listener is not null)
        {
            return;
        }
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Start();
        _listener = listener;
        _accept = AcceptAsync(listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _upstream);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
#pragma warning disable CA1031 // a cut connection ends the pump
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        from.Dispose();
        to.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        Cut();
        _stop.Dispose();
    }
}
