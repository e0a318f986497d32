using System.Text.Json;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

/// <summary><c>dmaslip agent --source live</c> on this machine, against a real nats-server and the fleet service.</summary>
public sealed class LiveAgentTests
{
    [Fact]
    public async Task A_live_agent_on_this_machine_reaches_the_services_regimes_api()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using var dir = new TempDir();
        using var nats = new NatsCluster(1);
        await nats.WaitReadyAsync(TimeSpan.FromSeconds(20));
        await using var service = await FleetRig.StartServiceAsync(nats.Url, dir.File("live.duckdb"));
        var dll = DmaSlipExe.Dll;
        using var agent = new ChildProcess("dotnet", [dll, "agent", "--nats", nats.Url, "--host", "live-vm", "--pool", "pool-live", "--source", "live", "--duration", "6", "--json"]);
        var exit = agent.WaitForExit(TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, agent.Log);
        using var http = new HttpClient { BaseAddress = new Uri(service.Addresses[0]) };
        JsonElement host = default;
        await Ports.WaitUntilAsync(async () =>
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/regimes", UriKind.Relative)));
            foreach (var h in doc.RootElement.EnumerateArray())
            {
                if (h.GetProperty("host").GetString() == "live-vm")
                {
                    host = h.Clone();
                    return true;
                }
            }
            return false;
        }, TimeSpan.FromSeconds(30), "live-vm in /api/regimes");
        Assert.Equal("pool-live", host.GetProperty("pool").GetString());
        // whatever the controller made of this machine's traffic, a regime it can be in
        Assert.Contains(host.GetProperty("regime").GetString(), new[] { "MAP_STABLE", "PRESSURE_WATCH", "FLUSH_STORM", "SAFE_DMA_CONTAIN" });
        // 6 s at the default 100 ms cadence: tens of windows, each with every sampled stream's frame
        Assert.True(host.GetProperty("frames_received").GetInt64() >= 30, host.GetRawText());
        Assert.Contains("procfs:/proc/net/dev: yes", agent.Log, StringComparison.Ordinal);
        // 6 s is inside the 60 s warm-up, and a host without tracepoint counts or IOMMU (this VM) has no flush source at
        // all: DFI is null with the reason, never a 0 that looks measured
        Assert.Equal(JsonValueKind.Null, host.GetProperty("dfi").ValueKind);
        Assert.Contains(host.GetProperty("dfi_null_reason").GetString(), new[] { "no flush source", "warming up (the host's baseline is not complete yet)" });
    }
}
