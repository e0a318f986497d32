using System.Net;
using System.Net.Sockets;

namespace DmaSlip.Fleet.Tests.Infra;

internal static class Ports
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Free()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
#pragma warning disable CA1031 // polling: a failure means "not yet"
            catch (Exception) when (DateTime.UtcNow < deadline)
#pragma warning restore CA1031
            {
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
            }
            await Task.Delay(100);
        }
    }
}
