using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using DmaSlip.Core.Control;
using DmaSlip.Core.Domain;

namespace DmaSlip.Benchmarks;

/// <summary>
/// One <see cref="RegimeController.Update"/> on the engine's hot path (target: median ≤ 25 ns, 0 B/op), beside a
/// no-op method that does the same signal fetch and timestamp step, so the difference is the controller itself.
/// The signal tape cycles through calm, watch, storm and contain levels so every state's branch is measured.
/// </summary>
[MemoryDiagnoser]
public class RegimeControllerBenchmarks
{
    private const int TapeMask = 4095;
    private readonly RegimeSignals[] _tape = new RegimeSignals[TapeMask + 1];
    private RegimeController _controller = null!;
    private long _ts;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        for (var i = 0; i < _tape.Length; i++)
        {
            // Slow waves so the controller spends time in every state, with noise on top.
            var phase = Math.Sin(i * 2 * Math.PI / 1024) * 0.5 + 0.5;
            _tape[i] = new RegimeSignals(
                Dfi: 100 * phase + rng.NextDouble() * 10 - 5,
                Djs: 6 * phase + rng.NextDouble(),
                Pso: 1 + 2.5 * phase + rng.NextDouble() * 0.3,
                StormRecurrence: phase > 0.9 ? 2 : 1,
                DeadlinePressure: phase);
        }
        _controller = new RegimeController(RegimeControllerConfig.Default with
        {
            WatchConfirmNs = 0,
            StormConfirmNs = 0,
            WatchDwellNs = Time.NanosPerMilli,
            StormDwellNs = Time.NanosPerMilli,
            ContainDwellNs = Time.NanosPerMilli,
        });
    }

    [Benchmark(Baseline = true)]
    public bool NoOp()
    {
        var i = _i = (_i + 1) & TapeMask;
        _ts += 100_000;
        return Consume(_ts, in _tape[i]);
    }

    [Benchmark]
    public bool Update()
    {
        var i = _i = (_i + 1) & TapeMask;
        _ts += 100_000;
        return _controller.Update(_ts, in _tape[i]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Consume(long ts, in RegimeSignals s) => ts < 0 && s.Dfi > 0;
}
