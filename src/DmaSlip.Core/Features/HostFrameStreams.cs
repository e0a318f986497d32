using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features;

/// <summary>
/// One <see cref="HostFrameEngine"/> per (host, device, queue) stream, created on first sight, all writing to one
/// sink. For batch inputs that interleave streams (stored host_events, multi-queue traces). The per-event lookup is a
/// dictionary probe; a caller with a single stream should hold its engine directly.
/// </summary>
public sealed class HostFrameStreams
{
    private readonly Dictionary<(string Host, string Device, int Queue), HostFrameEngine> _engines = [];
    private readonly IHostFrameSink _sink;
    private readonly HostFrameOptions _options;

    public HostFrameStreams(IHostFrameSink sink, HostFrameOptions? options = null)
    {
        _sink = sink;
        _options = options ?? HostFrameOptions.Default;
        _options.Validate();
    }

    public int StreamCount => _engines.Count;

    public long LateEvents => _engines.Values.Sum(e => e.LateEvents);

    public void Observe(string host, string device, in HostEvent e)
    {
        var key = (host, device, e.Queue);
        if (!_engines.TryGetValue(key, out var engine))
        {
            engine = new HostFrameEngine(host, device, e.Queue, _sink, _options);
            _engines.Add(key, engine);
        }
        engine.Observe(e);
    }

    /// <summary>Closes the open windows that end at or before <paramref name="tsNs"/> (inputs merged in time order).</summary>
    public void CloseWindowsEndingBy(long tsNs)
    {
        foreach (var engine in _engines.Values)
        {
            engine.CloseIfEndedBy(tsNs);
        }
    }

    /// <summary>Closes every stream's open window.</summary>
    public void Flush()
    {
        foreach (var engine in _engines.Values)
        {
            engine.Flush();
        }
    }
}
