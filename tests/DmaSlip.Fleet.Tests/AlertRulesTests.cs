using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Wire;
using DmaSlip.Service;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

/// <summary>
/// deploy/prometheus (alert rules and their promtool unit tests) and deploy/grafana (the fleet dashboard): promtool
/// accepts and passes them, and they name only metrics serve exports (docs/FLEET.md's table here; the live scrape in
/// <see cref="FleetIntegrationTests"/> checks the same names against a real /metrics).
/// </summary>
public sealed partial class AlertRulesTests
{
    private static string Deploy(params string[] parts) => Path.Combine([TestPaths.RepoRoot, "deploy", .. parts]);

    [Fact]
    public void Promtool_checks_the_rules_and_passes_their_unit_tests()
    {
        var (check, checkExit) = Promtool("check", "rules", Deploy("prometheus", "dmaslip-rules.yml"));
        Assert.True(checkExit == 0, check);
        Assert.Contains("SUCCESS: 5 rules found", check, StringComparison.Ordinal);
        var (test, testExit) = Promtool("test", "rules", Deploy("prometheus", "dmaslip-rules.test.yml"));
        Assert.True(testExit == 0, test);
        Assert.Contains("SUCCESS", test, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dashboard_is_valid_JSON_over_documented_dmaslip_metrics_and_shows_what_the_issue_asks()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Deploy("grafana", "dmaslip-fleet.json")));
        var panels = doc.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var exprs = panels.SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToList();
        Assert.All(panels, p => Assert.NotEmpty(p.GetProperty("targets").EnumerateArray()));

        var documented = DocumentedMetrics();
        var used = exprs.SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        Assert.All(used, m => Assert.True(documented.Contains(Base(m)), $"{m} is not a metric serve exports (docs/FLEET.md)"));
        // Regimes per pool and per host, DFI/DJS/PSO, consumer lag, frames stored.
        foreach (var needed in new[] { "max by (pool) (dmaslip_host_regime", "dmaslip_host_regime{", "dmaslip_host_dfi", "dmaslip_host_djs", "dmaslip_host_pso", "dmaslip_consumer_lag", "dmaslip_frames_stored_total" })
        {
            Assert.Contains(exprs, e => e.Contains(needed, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_rules_name_only_documented_dmaslip_metrics()
    {
        var documented = DocumentedMetrics();
        var used = MetricNames(File.ReadAllText(Deploy("prometheus", "dmaslip-rules.yml"))).ToList();
        Assert.NotEmpty(used);
        Assert.All(used, m => Assert.True(documented.Contains(Base(m)), $"{m} is not a metric serve exports (docs/FLEET.md)"));
    }

    [Fact]
    public void Storm_entries_count_each_committed_watch_to_storm_transition_once_per_pool()
    {
        var state = new FleetState(TimeProvider.System);
        RegimeChange Change(string host, string pool, long ts, Regime from, Regime to) =>
            new(host, pool, "boot1", (ulong)ts, ts, new RegimeTransition(host, ts, from, to, "test"), new RegimeSignals(90, 5, 3, 0, 0));
        var first = Change("h1", "pool-a", 100, Regime.PressureWatch, Regime.FlushStorm);
        state.Apply([Change("h1", "pool-a", 50, Regime.MapStable, Regime.PressureWatch), first]);
        state.Apply([first]); // a redelivery
        state.Apply([Change("h2", "pool-a", 120, Regime.PressureWatch, Regime.FlushStorm), Change("h2", "pool-a", 130, Regime.FlushStorm, Regime.SafeDmaContain)]);
        state.Apply([Change("h2", "pool-a", 200, Regime.SafeDmaContain, Regime.FlushStorm)]); // a step down, not an entry
        state.Apply([Change("h3", "pool-b", 100, Regime.MapStable, Regime.PressureWatch)]);
        Assert.Equal(2, state.StormEntries("pool-a"));
        Assert.Equal(0, state.StormEntries("pool-b"));
    }

    /// <summary>The metric names in docs/FLEET.md's metrics table (the backticked <c>dmaslip_</c> names).</summary>
    internal static HashSet<string> DocumentedMetrics()
    {
        var doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "FLEET.md"));
        var table = doc[doc.IndexOf("## Metrics", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return [.. MetricName().Matches(table).Select(m => m.Value)];
    }

    /// <summary>Every <c>dmaslip_</c> metric name in a PromQL expression or rules file.</summary>
    internal static IEnumerable<string> MetricNames(string text) => MetricName().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    /// <summary>A histogram's series name without its _bucket/_sum/_count suffix.</summary>
    internal static string Base(string name) => HistogramSuffix().Replace(name, "");

    private static (string Output, int Exit) Promtool(params string[] args)
    {
        var psi = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Deploy("prometheus") };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (stdout.Result + stderr.Result, p.ExitCode);
    }

    [GeneratedRegex(@"\bdmaslip_[a-z_]+[a-z]")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
