using System.Security.Cryptography;
using System.Text;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;
using DmaSlip.Simulation.Execution;
using DmaSlip.Simulation.Host;
using DmaSlip.Simulation.Internal;
using DmaSlip.Simulation.Market;
using DmaSlip.Simulation.Output;

namespace DmaSlip.Simulation;

/// <summary>
/// Runs a scenario: every host (and, for hosts with storm processes, its calm twin) is stepped through the session
/// in parallel; then every parent order is executed twice — against the real hosts and against the calm twins —
/// on the same market path with the same order flow and fill rules, so the difference is the true IOMMU effect.
/// </summary>
public static class Simulator
{
    public static SimulationResult Run(Scenario scenario, long seed, SimulationOptions? options = null)
    {
        options ??= new SimulationOptions();
        scenario.EnsureValid();
        if (options.WindowMs is < 1 or > 60_000 || options.Parallelism < 1)
        {
            throw new ArgumentException("WindowMs must be in [1, 60000] and Parallelism ≥ 1.", nameof(options));
        }
        var setups = BuildHosts(scenario, seed);
        var tapes = BuildMarket(scenario, seed);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism };
        var writer = options.OutputDir is null ? null : new OutputWriter(options.OutputDir, scenario, seed, options, setups);

        // Phase 1: hosts. Real hosts carry the observers (writers); twins exist only where storm processes exist —
        // elsewhere the twin is the host itself, step for step (same streams, nothing switched off).
        var real = new HostTimeline[setups.Count];
        var twin = new HostTimeline[setups.Count];
        var truth = new byte[setups.Count][][];
        var work = new List<(int Host, bool Twin)>();
        for (var h = 0; h < setups.Count; h++)
        {
            work.Add((h, false));
            if (setups[h].Storms.Count > 0)
            {
                work.Add((h, true));
            }
        }
        // Longest first: storm hosts, then the rest, so two cores finish together.
        work = [.. work.OrderByDescending(w => setups[w.Host].Storms.Count > 0).ThenBy(w => w.Host).ThenBy(w => w.Twin)];
        var frames = new List<HostFrame>[setups.Count];
        var policyNeedsFrames = options.Policy is not FixedPolicyProvider;
        Parallel.ForEach(work, parallel, w =>
        {
            var setup = setups[w.Host];
            var policy = options.Policy.ForHost(setup.Info, w.Twin);
            var observers = new List<IHostObserver>();
            var sinks = new List<IHostFrameSink>();
            if (policyNeedsFrames)
            {
                sinks.Add(new PolicyFrameSink(policy));
            }
            if (!w.Twin && options.KeepFrames)
            {
                var keep = new ListFrameSink();
                frames[w.Host] = keep.Frames;
                sinks.Add(keep);
            }
            IHostObserver? closer = null;
            if (!w.Twin && writer is not null)
            {
                observers.AddRange(writer.ObserversFor(setup));
                var (sink, close) = writer.FramesFor(setup);
                sinks.Add(sink);
                closer = close;
            }
            if (sinks.Count > 0)
            {
                observers.Add(new FrameEmitter(setup, scenario.Physics, options.WindowMs * Time.NanosPerMilli, [.. sinks]));
            }
            if (closer is not null)
            {
                observers.Add(closer);
            }
            var (timeline, states) = HostRunner.Run(setup, scenario, seed, stormsOn: !w.Twin, observers, policy, options.WindowMs);
            if (w.Twin)
            {
                twin[w.Host] = timeline;
            }
            else
            {
                real[w.Host] = timeline;
                truth[w.Host] = states;
            }
        });
        for (var h = 0; h < setups.Count; h++)
        {
            twin[h] ??= real[h];
        }

        // Phase 2: parents, real and twin, on the same engine code.
        var venue = new VenueLatency(scenario, seed);
        var fallback = setups.Where(s => s.Pool.Validated).Select(s => s.Index).ToArray();
        var realCtx = new RunContext(scenario, tapes, real, fallback, venue, seed);
        var twinCtx = new RunContext(scenario, tapes, twin, fallback, venue, seed);
        var specs = ParentFlow.Generate(scenario, seed, tapes.Count, setups.Count);
        var realResults = new ParentResult[specs.Count];
        var twinResults = new ParentResult[specs.Count];
        var chunks = Math.Max(1, Math.Min(specs.Count, options.Parallelism * 8));
        var fixParts = new List<FixEvent>[chunks];
        Parallel.For(0, chunks, parallel, c =>
        {
            var fix = writer is null ? null : new List<FixEvent>();
            var realEngine = new ExecutionEngine(realCtx, fix, null);
            var twinEngine = new ExecutionEngine(twinCtx, null, null);
            for (var i = c; i < specs.Count; i += chunks)
            {
                realResults[i] = realEngine.Run(specs[i]);
                twinResults[i] = twinEngine.Run(specs[i]);
            }
            fixParts[c] = fix ?? [];
        });

        var hosts = setups.Select(s => s.Info).ToArray();
        var parents = new SimulatedParent[specs.Count];
        for (var i = 0; i < specs.Count; i++)
        {
            var sp = specs[i];
            var r = realResults[i];
            var t = twinResults[i];
            var setup = setups[sp.Host];
            var order = new ParentOrder(sp.Id, tapes[sp.Symbol].Symbol, sp.Side, sp.Qty, sp.ArrivalNs, Math.Round(r.ArrivalMid, 6), sp.DeadlineNs,
                sp.Pov ? "pov" : "twap", setup.Name, setup.Pool.Name, sp.Urgency);
            parents[i] = new SimulatedParent(order, r.ExecutedQty, r.IsBps, r.DelayBps, r.ImpactBps, r.MissBps,
                t.ExecutedQty, t.IsBps, t.DelayBps, t.ImpactBps, t.MissBps, r.Children, r.Replaces,
                r.PostedQty == 0 ? 0 : (double)r.PassiveQty / r.PostedQty, r.MeanSendDelayNs / 1000.0,
                real[sp.Host].StormBetween(sp.ArrivalNs, sp.DeadlineNs), venue.InShock(sp.ArrivalNs, sp.DeadlineNs));
        }
        var transitions = Transitions(setups, real);
        var fixAll = new List<FixEvent>(fixParts.Sum(f => f.Count));
        foreach (var part in fixParts)
        {
            fixAll.AddRange(part);
        }
        fixAll.Sort(static (a, b) =>
        {
            var c = a.Host.CompareTo(b.Host);
            if (c != 0) return c;
            c = a.LogNs.CompareTo(b.LogNs);
            if (c != 0) return c;
            c = a.Parent.CompareTo(b.Parent);
            return c != 0 ? c : a.Seq.CompareTo(b.Seq);
        });
        var result = new SimulationResult(scenario, seed, hosts, parents, truth, options.WindowMs, transitions, tapes, fixAll, real, specs)
        {
            Frames = [.. frames.Where(f => f is not null).SelectMany(f => f)],
            OutputDir = writer?.Dir,
        };
        if (writer is not null)
        {
            result.Files = writer.Finish(result, setups);
        }
        return result;
    }

    private static RegimeTransition[] Transitions(IReadOnlyList<HostSetup> setups, HostTimeline[] real)
    {
        var list = new List<RegimeTransition>();
        for (var h = 0; h < setups.Count; h++)
        {
            var p = real[h].Policy;
            for (var k = 1; k < p.Count; k++)
            {
                if (p[k].Regime != p[k - 1].Regime)
                {
                    list.Add(new RegimeTransition(setups[h].Name, p[k].TsNs, p[k - 1].Regime, p[k].Regime, "policy provider"));
                }
            }
        }
        return [.. list];
    }

    internal static List<HostSetup> BuildHosts(Scenario scenario, long seed)
    {
        var list = new List<HostSetup>();
        var sessionMs = (int)(scenario.SessionNs / Time.NanosPerMilli);
        foreach (var pool in scenario.Pools)
        {
            var mode = pool.Mode;
            var fingerprint = Fingerprint($"{pool.Kernel}|{pool.Driver}|{pool.DriverVersion}|{mode.Name()}|{pool.NicModel}");
            for (var k = 0; k < pool.Hosts; k++)
            {
                var index = list.Count;
                var name = $"{pool.Name}-h{k + 1:D2}";
                var cpuNode = pool.NumaMisplaced ? 1 - Math.Min(pool.NicNumaNode, 1) : Math.Min(pool.NicNumaNode, 1);
                var info = new HostInfo(name, pool.Name, "ens1f0np0", pool.NicModel, pool.Driver, pool.DriverVersion, pool.Kernel,
                    mode, pool.NicNumaNode, cpuNode, fingerprint, scenario.SessionStartNs - Time.NanosPerDay, pool.SecurityReview);
                var jitter = Rng.Create(seed, RngStream.HostStorm, 1_000_000 + index);
                var storms = new List<StormWindow>();
                foreach (var s in scenario.Storms.Where(s => s.Pool == pool.Name))
                {
                    for (var r = 0; r < s.Repeat; r++)
                    {
                        var startMs = (int)((s.StartMinute + r * s.PeriodMinutes) * 60_000 + (jitter.NextDouble() - 0.5) * 10_000);
                        var endMs = startMs + (int)(s.DurationMinutes * 60_000);
                        startMs = Math.Max(0, startMs);
                        endMs = Math.Min(endMs, sessionMs);
                        if (endMs > startMs)
                        {
                            storms.Add(new StormWindow(startMs, endMs, s.ChurnShare, s.TurnoverMultiplier));
                        }
                    }
                }
                storms.Sort((a, b) => a.StartMs.CompareTo(b.StartMs));
                list.Add(new HostSetup(index, info, pool, storms));
            }
        }
        return list;
    }

    internal static List<MarketTape> BuildMarket(Scenario scenario, long seed)
    {
        var m = scenario.Market;
        if (m.Source == "lean")
        {
            var dir = LeanReplay.FindDir(m.LeanDir);
            return [.. m.LeanSymbols.Select(s => LeanReplay.Load(dir, s, scenario.SessionStartNs, scenario.SessionEndNs, m))];
        }
        var tapes = new MarketTape[m.Symbols];
        Parallel.For(0, m.Symbols, i =>
            tapes[i] = SyntheticBook.Generate($"SYM{i + 1:D3}", i, seed, scenario.SessionStartNs, scenario.SessionEndNs, m));
        return [.. tapes];
    }

    private static string Fingerprint(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..16];
}
