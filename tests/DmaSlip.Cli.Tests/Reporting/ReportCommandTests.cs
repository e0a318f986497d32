using System.Text.Json;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;
using DmaSlip.Storage;
using DmaSlip.Testing;

namespace DmaSlip.Cli.Tests.Reporting;

public sealed class ReportCommandTests
{
    private static readonly long T0 = Time.FromDate(2013, 10, 7) + 14 * Time.NanosPerHour;

    private static string Db(TempDir dir)
    {
        var db = dir.File("dmaslip.duckdb");
        using var store = DmaSlipStore.Open(db);
        store.Insert([new ParentOrder("P1", "IBM", 1, 1000, T0, 100, T0 + Time.NanosPerMinute, "twap", "h1", "pool-a", "normal")]);
        store.Insert([new ParentOutcome("P1", "h1", "pool-a", "IBM", 1000, 500, 5, 2, 2, 1, null, null, null, null, null, 0.5, -1, -1, -1, -1,
            "map-stable", PressureBucket.Calm, "normal", "midday")]);
        store.Insert([new RegimeTransition("h1", T0 + Time.NanosPerSecond, Regime.MapStable, Regime.PressureWatch, "dfi>=40")]);
        return db;
    }

    [Fact]
    public void Report_writes_one_html_file_and_reads_drill_results_beside_the_database()
    {
        using var dir = new TempDir();
        var db = Db(dir);
        File.WriteAllText(dir.File("drills.json"), """{"drills": [{"name": "fallback-path", "passed": true, "criteria": [], "evidence": {}}]}""");
        var html = dir.File("out/r.html");

        var (exit, stdout, stderr) = CliRunner.Run("report", "--db", db, "--out", html, "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(Path.GetFullPath(html), json.GetProperty("path").GetString());
        var sections = json.GetProperty("sections");
        Assert.True(sections.GetProperty("overview").GetBoolean());
        Assert.True(sections.GetProperty("regimes").GetBoolean());
        Assert.True(sections.GetProperty("drills").GetBoolean());
        // no advice.json: advice is computed from the store by the advise engine
        Assert.True(sections.GetProperty("advice").GetBoolean());
        Assert.Equal(1, json.GetProperty("drills_passed").GetInt32());
        var text = File.ReadAllText(html);
        Assert.Contains("id=\"overview\"", text, StringComparison.Ordinal);
        Assert.Contains("fallback-path", text, StringComparison.Ordinal);
        Assert.Contains("PRESSURE_WATCH", text, StringComparison.Ordinal);
        Assert.Contains("Mitigation ladder", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_advice_file_beside_the_database_is_shown_instead_of_live_advice()
    {
        using var dir = new TempDir();
        var db = Db(dir);
        File.WriteAllText(dir.File("advice.json"), """
            {"mitigations": [{"rank": 1, "title": "Pin NIC queues to the NIC's NUMA node", "pools": ["pool-a"], "expected_gain_bps": 0.7, "evidence": "remote 38 %"}],
             "anti_patterns": []}
            """);
        var html = dir.File("r.html");

        var (exit, _, stderr) = CliRunner.Run("report", "--db", db, "--out", html);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Pin NIC queues to the NIC&#39;s NUMA node", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_prints_section_status_and_headline_tables_without_json()
    {
        using var dir = new TempDir();
        var db = Db(dir);

        var (exit, stdout, _) = CliRunner.Run("report", "--db", db, "--out", dir.File("r.html"));

        Assert.Equal(0, exit);
        Assert.Contains("#desk-metrics", stdout, StringComparison.Ordinal);
        Assert.Contains("not available yet", stdout, StringComparison.Ordinal);
        Assert.Contains("C_iommu not estimated yet", stdout, StringComparison.Ordinal);
        Assert.Contains("r.html", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_drill_file_is_an_input_error_and_a_reversed_range_a_usage_error()
    {
        using var dir = new TempDir();
        var db = Db(dir);
        File.WriteAllText(dir.File("bad.json"), "{\"drills\": [");

        var bad = CliRunner.Run("report", "--db", db, "--out", dir.File("r.html"), "--drills", dir.File("bad.json"));
        Assert.Equal(ExitCodes.Input, bad.Exit);
        Assert.Contains("bad.json", bad.Err, StringComparison.Ordinal);

        var missing = CliRunner.Run("report", "--db", db, "--out", dir.File("r.html"), "--advice", dir.File("nope.json"));
        Assert.Equal(ExitCodes.Input, missing.Exit);

        var reversed = CliRunner.Run("report", "--db", db, "--from", "2013-10-07T15:00:00Z", "--to", "2013-10-07T14:00:00Z");
        Assert.Equal(ExitCodes.Usage, reversed.Exit);
    }
}
