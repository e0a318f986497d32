using DmaSlip.Testing;
using System.Globalization;
using System.Text.Json;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>A real <c>prometheus</c> on 127.0.0.1 scraping one target every second, with a temp TSDB.</summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ChildProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public PrometheusServer(string target)
    {
        Port = Ports.Free();
        var config = Path.Combine(_dir.Path, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            scrape_configs:
              - job_name: dmaslip
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target}"]
            """);
        _process = new ChildProcess("prometheus",
        [
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(_dir.Path, "tsdb"),
            "--web.listen-address=127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture),
        ]);
    }

    public int Port { get; }

    public string Log => _process.Log;

    /// <summary>An instant PromQL query through the HTTP API; returns (labels, value) of each series.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var uri = new Uri($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var doc = JsonDocument.Parse(await _http.GetStringAsync(uri));
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException("PromQL query failed: " + root);
        }
        var result = new List<(Dictionary<string, string>, double)>();
        foreach (var s in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = s.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var value = double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            result.Add((labels, value));
        }
        return result;
    }

    public void Dispose()
    {
        _process.Terminate(TimeSpan.FromSeconds(5));
        _process.Dispose();
        _http.Dispose();
        _dir.Dispose();
    }
}
