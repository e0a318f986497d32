using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DmaSlip.Benchmarks.Fleet;

/// <summary>An N-node nats-server JetStream cluster on 127.0.0.1 for the fleet load bench (temp store, killed at dispose).</summary>
internal sealed class LoopbackNats : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dmaslip-bench-nats-").FullName;
    private readonly List<Process> _nodes = [];
    private readonly int[] _client;

    public LoopbackNats(int nodes, int goMaxProcs = 0)
    {
        _client = Enumerable.Range(0, nodes).Select(_ => FreePort()).ToArray();
        var routes = Enumerable.Range(0, nodes).Select(_ => FreePort()).ToArray();
        for (var i = 0; i < nodes; i++)
        {
            var name = "n" + (i + 1).ToString(CultureInfo.InvariantCulture);
            var cluster = nodes == 1 ? "" : $"cluster {{\n name: B1\n listen: 127.0.0.1:{routes[i]}\n routes: [\n{string.Join("\n", routes.Select(p => $"  nats-route://127.0.0.1:{p}"))}\n ]\n}}";
            var conf = Path.Combine(_dir, name + ".conf");
            File.WriteAllText(conf, $"server_name: {name}\nhost: 127.0.0.1\nport: {_client[i]}\njetstream {{\n store_dir: \"{Path.Combine(_dir, name)}\"\n max_file_store: 8GB\n max_memory_store: 256MB\n}}\n{cluster}\n");
            var psi = new ProcessStartInfo("nats-server", ["-c", conf]) { RedirectStandardError = true, RedirectStandardOutput = true };
            if (goMaxProcs > 0)
            {
                // Three servers sharing two cores: one Go scheduler thread each instead of two spares the CPU
                // they spend spinning and handing work between threads (~20 % of their CPU at 2 000 msgs/s).
                psi.Environment["GOMAXPROCS"] = goMaxProcs.ToString(CultureInfo.InvariantCulture);
            }
            var p = Process.Start(psi)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            _nodes.Add(p);
        }
    }

    /// <summary>CPU time used so far by all nodes together.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var t = TimeSpan.Zero;
            foreach (var p in _nodes)
            {
                p.Refresh();
                t += p.HasExited ? TimeSpan.Zero : p.TotalProcessorTime;
            }
            return t;
        }
    }

    public string Url => string.Join(",", _client.Select(p => $"nats://127.0.0.1:{p}"));

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var p in _nodes)
        {
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit(5000);
            }
            p.Dispose();
        }
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
