using BenchmarkDotNet.Attributes;
using DmaSlip.Core.Domain;
using DmaSlip.Ingest;
using DmaSlip.Ingest.Internal;
using DmaSlip.Ingest.Tests.Reference;
using DmaSlip.Ingest.Trace;

namespace DmaSlip.Benchmarks;

/// <summary>
/// Per-line cost of trace text parsing on one core, 64 Ki lines of <see cref="TraceBenchText"/> per invocation (results
/// are per line). Baseline: split the lines only (the line reader, nothing parsed). Peers: the parser before its fast
/// paths (<c>tests/DmaSlip.Ingest.Tests/Reference</c>, one <see cref="HostEventRow"/> per used line as it made them)
/// and the current <see cref="TraceParser"/> into a counting sink. B/op is per line.
/// </summary>
[MemoryDiagnoser]
public class TraceLineParseBenchmarks
{
    private const int Lines = 1 << 16;
    private byte[] _text = [];

    [GlobalSetup]
    public void Setup() => _text = TraceBenchText.Bytes(Lines);

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public long SplitLinesOnly()
    {
        long n = 0;
        using var reader = new LineReader(new MemoryStream(_text, writable: false));
        while (reader.TryRead(out var line, out _, out _))
        {
            n += line.Length;
        }
        return n;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public long ReferenceParser()
    {
        var sink = new CountingSink();
        var strings = new StringCache();
        using var reader = new LineReader(new MemoryStream(_text, writable: false));
        while (reader.TryRead(out var line, out var offset, out _))
        {
            if (ReferenceTraceFrame.Parse(line, out var f) == TraceLineKind.Event
                && ReferenceTraceEventDecoder.Decode(f.System, f.Event, f.Body, out var e) == DecodeResult.Used)
            {
                var device = e.Device.IsEmpty ? "" : strings.Get(e.Device);
                sink.Add(new HostEventRow(f.TsNs, "bench", device, -1, f.Cpu, e.Kind, e.Size, e.Value, e.Aux, "ftrace:0", offset));
            }
        }
        return sink.Rows;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public long FastParser()
    {
        var ctx = new FileContext(new CountingSink(), "bench.trace", new string('0', 64), Formats.Ftrace, "bench", 0);
        new TraceParser().Parse(new MemoryStream(_text, writable: false), ctx);
        return ctx.Records;
    }
}
