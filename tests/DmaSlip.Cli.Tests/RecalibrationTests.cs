using System.Globalization;
using System.Text.Json;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests;

/// <summary>
/// Change-aware recalibration end to end through ingest: a kernel change and a driver change ingested as the files a
/// host writes (uname -r, ethtool -i) keep the host in its pool, mark that pool's model stale, make
/// <c>fit --if-stale</c> refit it, and make <c>advise</c> name the pool.
/// </summary>
public sealed class RecalibrationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("recal.duckdb");

    [Fact]
    public void A_kernel_change_and_a_driver_change_ingested_for_hosts_refit_exactly_their_pools_and_advise_names_them()
    {
        using (var store = DmaSlipStore.Open(Db))
        {
            FitDatabase.Fill(store);
        }
        var (exit, stdout, stderr) = CliRunner.Run("fit", "--db", Db, "--json");
        Assert.True(exit == 0, stderr);

        // h0 (pool a) boots another kernel; nothing else about it is restated.
        var changeTs = (FitDatabase.T0 / 1_000_000_000L) + 7200;
        var kernelDir = _dir.File("kernel");
        Directory.CreateDirectory(Path.Combine(kernelDir, "hosts", "h0"));
        File.WriteAllText(Path.Combine(kernelDir, "hosts", "h0", "uname-r"), "6.11.0\n");
        (exit, _, stderr) = CliRunner.Run("ingest", kernelDir, "--db", Db, "--ts", changeTs.ToString(CultureInfo.InvariantCulture));
        Assert.True(exit == 0, stderr);
        using (var store = DmaSlipStore.Open(Db))
        {
            var h0 = store.Query<HostInfo>("host = 'h0'", "valid_from_ns").ToList();
            Assert.Equal(2, h0.Count);
            var now = h0[^1];
            Assert.Equal(("a", "eth0", "6.11.0", "mlx5_core", "24.10", "ConnectX-6"), (now.Pool, now.Device, now.Kernel, now.Driver, now.DriverVersion, now.NicModel));
            Assert.Equal(DmaSlip.Ingest.HostFingerprint.Compute("6.11.0", "mlx5_core", "24.10", IommuMode.Lazy), now.Fingerprint);
        }

        (exit, stdout, stderr) = CliRunner.Run("advise", "--db", Db, "--json");
        Assert.True(exit == 0, stderr);
        using (var advice = JsonDocument.Parse(stdout))
        {
            var recal = RecalibrationOf(advice);
            Assert.Equal(["a"], recal.GetProperty("pools").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(["h0"], recal.GetProperty("hosts").EnumerateArray().Select(p => p.GetString()));
        }

        (exit, stdout, stderr) = CliRunner.Run("fit", "--db", Db, "--json", "--if-stale");
        Assert.True(exit == 0, stderr);
        using (var fit = JsonDocument.Parse(stdout))
        {
            var models = Models(fit);
            Assert.True(models["a"].GetProperty("refit").GetBoolean());
            Assert.False(models["b"].GetProperty("refit").GetBoolean());
            var stale = Assert.Single(fit.RootElement.GetProperty("stale").EnumerateArray());
            Assert.Equal("a", stale.GetProperty("scope").GetString());
            Assert.Contains("h0/eth0: kernel 6.8.0 → 6.11.0", stale.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        }

        // h2 (pool b) gets a new NIC driver version, from its ethtool -i output.
        var driverDir = _dir.File("driver");
        Directory.CreateDirectory(Path.Combine(driverDir, "hosts", "h2"));
        File.WriteAllText(Path.Combine(driverDir, "hosts", "h2", "ethtool-i.eth0"),
            "driver: mlx5_core\nversion: 24.11\nfirmware-version: 22.39.1002 (MT_0000000359)\nbus-info: 0000:3b:00.0\n");
        (exit, _, stderr) = CliRunner.Run("ingest", driverDir, "--db", Db, "--ts", (changeTs + 60).ToString(CultureInfo.InvariantCulture));
        Assert.True(exit == 0, stderr);
        (exit, stdout, stderr) = CliRunner.Run("fit", "--db", Db, "--json", "--if-stale");
        Assert.True(exit == 0, stderr);
        using (var fit = JsonDocument.Parse(stdout))
        {
            var models = Models(fit);
            Assert.False(models["a"].GetProperty("refit").GetBoolean());
            Assert.True(models["b"].GetProperty("refit").GetBoolean());
            var stale = Assert.Single(fit.RootElement.GetProperty("stale").EnumerateArray());
            Assert.Equal("b", stale.GetProperty("scope").GetString());
            Assert.Contains("h2/eth0: driver version 24.10 → 24.11", stale.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        }
        using (var store = DmaSlipStore.Open(Db))
        {
            var h2 = store.Query<HostInfo>("host = 'h2'", "valid_from_ns").ToList()[^1];
            Assert.Equal(("b", "6.8.0", "24.11"), (h2.Pool, h2.Kernel, h2.DriverVersion));
        }
    }

    private static Dictionary<string, JsonElement> Models(JsonDocument fit) =>
        fit.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("scope").GetString()!, m => m.Clone());

    private static JsonElement RecalibrationOf(JsonDocument advice)
    {
        foreach (var m in advice.RootElement.GetProperty("mitigations").EnumerateArray())
        {
            if (m.GetProperty("kind").GetString() == "change_aware_recalibration")
            {
                return m.Clone();
            }
        }
        throw new Xunit.Sdk.XunitException("no recalibration mitigation in: " + advice.RootElement.GetRawText());
    }
}
