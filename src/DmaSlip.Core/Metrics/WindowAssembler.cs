using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Metrics;

/// <summary>
/// Closes windows from one host's frame stream (frames in window order, any queue order within a window): a window
/// closes when a frame of a later window arrives, or, once the first window told how many queues report, as soon as
/// that many frames of the window are in (not one window late).
/// </summary>
public sealed class WindowAssembler
{
    private readonly List<HostFrame> _window = [];
    private long _windowStart = long.MinValue;
    private int _queues;

    /// <summary>
    /// Adds <paramref name="frame"/>; calls <paramref name="onClosed"/> with each window it closes (the list is reused:
    /// copy it to keep it).
    /// </summary>
    public void Add(HostFrame frame, Action<IReadOnlyList<HostFrame>> onClosed)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(onClosed);
        if (frame.WindowStartNs != _windowStart)
        {
            Flush(onClosed);
            _windowStart = frame.WindowStartNs;
        }
        _window.Add(frame);
        if (_queues > 0 && _window.Count >= _queues)
        {
            Flush(onClosed);
        }
    }

    /// <summary>Closes the open window, if any (at the end of the stream).</summary>
    public void Flush(Action<IReadOnlyList<HostFrame>> onClosed)
    {
        ArgumentNullException.ThrowIfNull(onClosed);
        if (_window.Count == 0)
        {
            return;
        }
        if (_queues == 0)
        {
            _queues = _window.Count;
        }
        onClosed(_window);
        _window.Clear();
    }
}
