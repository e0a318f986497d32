using System.Net;
using System.Net.Sockets;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Testing;
using Xunit.Abstractions;

namespace DmaSlip.Fleet.Tests;

/// <summary><c>serve</c> that cannot start: one error line, exit 3, no stack trace, and it never became the writer.</summary>
[Collection("fleet-integration")]
public sealed class ServeStartFailureTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Serve_with_its_http_port_taken_exits_3_in_one_line_without_taking_the_writer_lease()
    {
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;
            using var serve = new ChildProcess("dotnet", [DmaSlipExe.Dll, "serve", "--nats", nats.Url, "--urls", $"http://127.0.0.1:{port}", "--db", dir.File("p.duckdb")]);
            var exit = serve.WaitForExit(TimeSpan.FromSeconds(60));
            log.WriteLine(serve.Log);
            Assert.Equal(3, exit);
            var lines = serve.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var error = Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.Contains($"127.0.0.1:{port}", error, StringComparison.Ordinal);
            Assert.Contains("address already in use", error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("lease: active", StringComparison.Ordinal));
        }
        finally
        {
            taken.Stop();
        }
    }
}
