using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;
using DmaSlip.Testing;

namespace DmaSlip.Native.Tests;

/// <summary>
/// libdmaslip.so from C: the header is the issue's ABI, the shipped C example runs its calm → storm → calm checks,
/// and the same signal sequence through the C ABI and through the C# controller gives the same regime and policy
/// after every update, under the built-in config and under configs read from JSON.
/// </summary>
public sealed partial class NativeControllerTests(NativeLibraryFixture native) : IClassFixture<NativeLibraryFixture>
{
    /// <summary>The C ABI exactly as issue 22 gives it (declarations and their comments).</summary>
    private const string IssueAbi = """
        #include <stdint.h>
        typedef struct dmaslip_controller dmaslip_controller;            /* opaque */
        typedef struct dmaslip_policy {
          double  replace_rate_cap_per_s;  /* +inf when uncapped */
          double  pacing_factor;
          int32_t max_child_burst;         /* INT32_MAX when uncapped */
          int64_t min_spacing_ns;
          int32_t catch_up_mode;           /* 0 panic, 1 bounded */
          int32_t routing;                 /* 0 any, 1 prefer validated low-pressure paths */
          int32_t completion;              /* 0 normal, 1 conservative */
        } dmaslip_policy;
        /* NULL config = the built-in config; otherwise the JSON that `dmaslip controller validate` accepts.
           Returns NULL on error; dmaslip_last_error() says why. */
        dmaslip_controller *dmaslip_controller_create(const char *config_json);
        /* One update; returns the regime after it: 0 MAP_STABLE, 1 PRESSURE_WATCH, 2 FLUSH_STORM,
           3 SAFE_DMA_CONTAIN; negative on error. No allocation, no lock. */
        int32_t dmaslip_controller_update(dmaslip_controller *c, int64_t ts_ns, double dfi, double djs, double pso,
                                          int32_t storm_recurrence, double deadline_pressure);
        int32_t dmaslip_controller_policy(const dmaslip_controller *c, dmaslip_policy *out);   /* 0 on success */
        void dmaslip_controller_destroy(dmaslip_controller *c);
        const char *dmaslip_last_error(void);   /* thread-local; "" when none */
        """;

    [Fact]
    public void The_written_header_declares_exactly_the_issue_ABI()
    {
        var header = File.ReadAllText(Path.Combine(native.OutDir, "dmaslip.h"));
        // The include first, then (after C++'s extern "C" opening) every declaration and comment, verbatim.
        var lines = IssueAbi.Split('\n', 2);
        var written = Spaces().Replace(header, " ");
        Assert.Contains(lines[0].Trim(), written, StringComparison.Ordinal);
        Assert.Contains(Spaces().Replace(lines[1], " ").Trim(), written, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(native.OutDir, "libdmaslip.so")));
    }

    [Fact]
    public void The_C_example_drives_calm_storm_calm_and_every_check_passes()
    {
        var exe = native.Compile(Path.Combine(TestPaths.RepoRoot, "examples", "c", "calm_storm_calm.c"), "calm_storm_calm");
        var (exit, stdout, stderr) = NativeLibraryFixture.Run(exe, []);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("MAP_STABLE -> PRESSURE_WATCH", stdout, StringComparison.Ordinal);
        Assert.Contains("PRESSURE_WATCH -> FLUSH_STORM", stdout, StringComparison.Ordinal);
        Assert.Contains("FLUSH_STORM -> SAFE_DMA_CONTAIN", stdout, StringComparison.Ordinal);
        Assert.Contains("all checks passed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_the_validator_refuses_is_refused_through_the_ABI_with_its_reasons()
    {
        using var dir = new TempDir();
        var bad = dir.File("bad.json");
        File.WriteAllText(bad, """{"watch": {"enter": {"dfi": 40}, "exit": {"dfi": 45}}, "speed": 3}""");
        Assert.Null(RegimeControllerConfigJson.TryParse(File.ReadAllText(bad), out var errors));
        var exe = native.Compile(Path.Combine(TestPaths.RepoRoot, "tests", "DmaSlip.Native.Tests", "c", "replay.c"), "replay-bad");
        var (exit, _, stderr) = NativeLibraryFixture.Run(exe, [bad], stdin: "");
        Assert.Equal(3, exit);
        Assert.Contains(errors[0], stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string, int> Configs => new()
    {
        { "builtin", 1 },
        { "builtin", 2 },
        { "default-json", 3 },
        { "fast-json", 4 },
        { "fast-json", 5 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void The_same_signals_through_the_C_ABI_and_the_CSharp_controller_give_the_same_regimes_and_policies(string which, int seed)
    {
        using var dir = new TempDir();
        var (config, configArg) = which switch
        {
            "builtin" => (RegimeControllerConfig.Default, "-"),
            "default-json" => (RegimeControllerConfig.Default, dir.File("default.json")),
            _ => (Fast, dir.File("fast.json")),
        };
        if (configArg != "-")
        {
            // Written by the toolkit's own writer and read back by each side: the C side gets the text, the C#
            // side parses the same text.
            File.WriteAllText(configArg, RegimeControllerConfigJson.Write(config));
            config = RegimeControllerConfigJson.Parse(File.ReadAllText(configArg));
        }
        var tape = Tape(config, seed, 20_000);

        var managed = new RegimeController(config);
        var expected = new List<string>(tape.Count);
        var visited = new HashSet<Regime>();
        foreach (var (ts, s) in tape)
        {
            managed.Update(ts, in s);
            visited.Add(managed.Current);
            expected.Add(Line(managed.Current, managed.Policy));
        }
        // Not vacuous: the tape took the controller through every regime.
        Assert.Equal(4, visited.Count);

        var csv = new StringBuilder();
        foreach (var (ts, s) in tape)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{ts},{s.Dfi:R},{s.Djs:R},{s.Pso:R},{s.StormRecurrence},{s.DeadlinePressure:R}\n");
        }
        var exe = native.Compile(Path.Combine(TestPaths.RepoRoot, "tests", "DmaSlip.Native.Tests", "c", "replay.c"), $"replay-{which}-{seed}");
        var (exit, stdout, stderr) = NativeLibraryFixture.Run(exe, [configArg], csv.ToString());
        Assert.True(exit == 0, stderr);
        var actual = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Normalise).ToList();
        Assert.Equal(tape.Count, actual.Count);
        for (var i = 0; i < tape.Count; i++)
        {
            Assert.True(expected[i] == actual[i], $"update {i} (ts {tape[i].Ts}, {tape[i].Signals}): C# {expected[i]} vs C {actual[i]}");
        }
    }

    /// <summary>Short confirmations and dwells so a tape of 100 ms windows crosses many edges.</summary>
    private static RegimeControllerConfig Fast => RegimeControllerConfig.Default with
    {
        WatchConfirmNs = 100 * Time.NanosPerMilli,
        StormConfirmNs = 0,
        StormDfiOnlyConfirmNs = 500 * Time.NanosPerMilli,
        WatchDwellNs = Time.NanosPerSecond,
        StormDwellNs = 2 * Time.NanosPerSecond,
        ContainDwellNs = 3 * Time.NanosPerSecond,
        RecurrenceWindowNs = 60 * Time.NanosPerSecond,
    };

    /// <summary>The C harness's line for a regime and policy, built from the C# side with the ABI's mapping.</summary>
    private static string Line(Regime r, in ExecutionPolicy p) => string.Create(CultureInfo.InvariantCulture,
        $"{(int)r},{R(p.ReplaceRateCapPerSecond)},{R(p.PacingFactor)},{p.MaxChildBurst},{p.MinSpacingNs},{(p.CatchUpMode == CatchUpMode.Bounded ? 1 : 0)},{(p.Routing == RoutingPreference.Any ? 0 : 1)},{(p.Completion == CompletionMode.Conservative ? 1 : 0)}");

    /// <summary>Re-renders the C harness's line (%.17g doubles, "inf") in <see cref="Line"/>'s form, exactly.</summary>
    private static string Normalise(string cLine)
    {
        var f = cLine.Split(',');
        f[1] = R(f[1] == "inf" ? double.PositiveInfinity : double.Parse(f[1], CultureInfo.InvariantCulture));
        f[2] = R(double.Parse(f[2], CultureInfo.InvariantCulture));
        return string.Join(',', f);
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Segments of calm, watch-level, storm-level and contain-level signals placed relative to the config's own
    /// thresholds (so retuned defaults still cross every edge), some exactly at a threshold, with NaN windows and
    /// out-of-order timestamps mixed in; each segment lasts up to past the longest dwell.
    /// </summary>
    private static List<(long Ts, RegimeSignals Signals)> Tape(RegimeControllerConfig c, int seed, int n)
    {
        var rng = new Random(seed);
        var windowNs = 100 * Time.NanosPerMilli;
        var longest = Math.Max(Math.Max(c.WatchDwellNs, c.StormDwellNs), Math.Max(c.ContainDwellNs, c.StormDfiOnlyConfirmNs));
        var maxLen = (int)(longest / windowNs) + 40;
        var tape = new List<(long, RegimeSignals)>(n);
        var ts = 1_700_000_000L * Time.NanosPerSecond;
        while (tape.Count < n)
        {
            var level = rng.Next(5);
            var len = 1 + rng.Next(maxLen);
            for (var i = 0; i < len && tape.Count < n; i++)
            {
                ts += windowNs;
                var u = rng.NextDouble();
                var s = level switch
                {
                    0 => new RegimeSignals(c.WatchExit.Dfi * u * 0.9, c.WatchExit.Djs * u * 0.9, c.WatchExit.Pso * u * 0.9, 0, 0.1),
                    1 => new RegimeSignals(Between(c.WatchEnter.Dfi, c.StormEnter.Dfi, u), Between(c.WatchExit.Djs, c.StormEnter.Djs, u), c.WatchExit.Pso * 0.9, 0, 0.2),
                    2 => new RegimeSignals(c.StormEnter.Dfi + 10 * u, rng.Next(2) == 0 ? c.StormEnter.Djs + u : c.WatchExit.Djs, c.StormEnter.Pso + u, 0, c.ContainExit.DeadlinePressure * u),
                    3 => new RegimeSignals(c.StormEnter.Dfi + 10 * u, c.StormEnter.Djs + u, c.StormEnter.Pso + u,
                        c.ContainEnter.StormRecurrence + rng.Next(2), Math.Min(1, c.ContainEnter.DeadlinePressure + 0.3 * u)),
                    // exactly at the thresholds: the enter and exit comparisons' equality cases
                    _ => rng.Next(3) switch
                    {
                        0 => new RegimeSignals(c.WatchEnter.Dfi, c.WatchExit.Djs, c.WatchExit.Pso, 0, 0),
                        1 => new RegimeSignals(c.StormEnter.Dfi, c.StormEnter.Djs, c.StormEnter.Pso, c.ContainEnter.StormRecurrence, c.ContainEnter.DeadlinePressure),
                        _ => new RegimeSignals(c.StormExit.Dfi, c.WatchExit.Djs, c.WatchExit.Pso, c.ContainExit.StormRecurrence, c.ContainExit.DeadlinePressure),
                    },
                };
                if (rng.Next(200) == 0)
                {
                    s = s with { Dfi = double.NaN };
                }
                var at = rng.Next(300) == 0 ? ts - 3 * windowNs : ts;
                tape.Add((at, s));
            }
        }
        return tape;
    }

    private static double Between(double lo, double hi, double u) => lo + (hi - lo) * u;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
