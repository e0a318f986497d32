using BenchmarkDotNet.Attributes;
using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Benchmarks;

/// <summary>
/// Throughput of the host frame engine on one stream (one core): 1 M traced events (Count = 1) per invocation,
/// beside a baseline that only reads the same events. Events/s = 1 M / mean; B/op ÷ 1 M = bytes per event
/// (the only allocations are the ~100 HostFrames of the closed windows).
/// </summary>
[MemoryDiagnoser]
public class HostFrameEngineBenchmarks
{
    private const int Events = 1_000_000;
    private HostEvent[] _events = [];
    private CountingSink _sink = new();

    private sealed class CountingSink : IHostFrameSink
    {
        public long Frames;

        public void OnFrame(HostFrame frame) => Frames++;
    }

    [GlobalSetup]
    public void Setup() => _events = HostFrameData.Stream(0, Events, 42);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long ReadEventsOnly()
    {
        long sum = 0;
        foreach (ref readonly var e in _events.AsSpan())
        {
            sum += e.Count + e.Value;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Engine()
    {
        _sink = new CountingSink();
        var engine = new HostFrameEngine("h1", "eth0", 0, _sink);
        foreach (ref readonly var e in _events.AsSpan())
        {
            engine.Observe(e);
        }
        engine.Flush();
        return _sink.Frames;
    }
}
