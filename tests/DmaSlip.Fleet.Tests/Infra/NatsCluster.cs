using DmaSlip.Testing;
using System.Globalization;
using DmaSlip.Fleet.Tests.Infra;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>
/// Real nats-server processes on 127.0.0.1 (free ports, JetStream store dirs in a temp folder): one node, or an
/// N-node JetStream cluster. Nodes can be killed with SIGKILL and restarted on the same store.
/// </summary>
internal sealed class NatsCluster : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ChildProcess?[] _nodes;
    private readonly int[] _client;
    private readonly int[] _monitor;
    private readonly int[] _route;

    public NatsCluster(int nodes)
    {
        _nodes = new ChildProcess?[nodes];
        _client = Enumerable.Range(0, nodes).Select(_ => Ports.Free()).ToArray();
        _monitor = Enumerable.Range(0, nodes).Select(_ => Ports.Free()).ToArray();
        _route = Enumerable.Range(0, nodes).Select(_ => Ports.Free()).ToArray();
        for (var i = 0; i < nodes; i++)
        {
            File.WriteAllText(ConfigPath(i), Config(i));
            Start(i);
        }
    }

    public int Count => _nodes.Length;

    public string Url => string.Join(",", _client.Select(p => $"nats://127.0.0.1:{p}"));

    public int ClientPort(int i) => _client[i];

    public static string Name(int i) => "n" + (i + 1).ToString(CultureInfo.InvariantCulture);

    public int IndexOf(string name) => int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture) - 1;

    public string Logs => string.Join("\n", _nodes.Select((n, i) => $"--- {Name(i)}\n{n?.Log}"));

    public void Kill9(int i)
    {
        _nodes[i]?.Kill9();
    }

    public void Start(int i)
    {
        _nodes[i]?.Dispose();
        _nodes[i] = new ChildProcess("nats-server", ["-c", ConfigPath(i)]);
    }

    /// <summary>Waits until every running node answers /healthz (JetStream up and, in a cluster, a meta leader).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Ports.WaitUntilAsync(async () =>
        {
            for (var i = 0; i < _nodes.Length; i++)
            {
                if (_nodes[i] is { Running: true })
                {
                    using var r = await http.GetAsync(new Uri($"http://127.0.0.1:{_monitor[i]}/healthz"));
                    if (!r.IsSuccessStatusCode)
                    {
                        return false;
                    }
                    // A node is healthy before its routes are up; a client connecting then is told of fewer servers
                    // (the service's automatic replica count read 1 instead of 3 once). Wait for the full mesh.
                    var running = _nodes.Count(n => n is { Running: true });
                    if (running > 1)
                    {
                        using var routez = await http.GetAsync(new Uri($"http://127.0.0.1:{_monitor[i]}/routez"));
                        using var doc = System.Text.Json.JsonDocument.Parse(await routez.Content.ReadAsStringAsync());
                        if (doc.RootElement.GetProperty("num_routes").GetInt32() < running - 1)
                        {
                            return false;
                        }
                    }
                }
            }
            return true;
        }, timeout, "nats-server nodes to be healthy\n" + Logs);
    }

    private string ConfigPath(int i) => Path.Combine(_dir.Path, Name(i) + ".conf");

    private string Config(int i)
    {
        var store = Path.Combine(_dir.Path, "js-" + Name(i));
        var cluster = _nodes.Length == 1 ? "" : $$"""
            cluster {
              name: C1
              listen: 127.0.0.1:{{_route[i]}}
              routes: [
            {{string.Join("\n", _route.Select(p => $"    nats-route://127.0.0.1:{p}"))}}
              ]
            }
            """;
        return $$"""
            server_name: {{Name(i)}}
            host: 127.0.0.1
            port: {{_client[i]}}
            http: 127.0.0.1:{{_monitor[i]}}
            jetstream {
              store_dir: "{{store}}"
              max_file_store: 1GB
              max_memory_store: 64MB
            }
            {{cluster}}
            """;
    }

    public void Dispose()
    {
        foreach (var n in _nodes)
        {
            n?.Dispose();
        }
        _dir.Dispose();
    }
}
