namespace DmaSlip.Core.Metrics;

/// <summary>
/// Counts storm onsets (DFI rising to or above <see cref="OnsetDfi"/> from below) within a trailing horizon, for the
/// controller's storm-recurrence input. Fixed ring of onset timestamps: no allocation after construction; when
/// more onsets than <see cref="Capacity"/> fall inside the horizon the count saturates at Capacity.
/// </summary>
public sealed class StormRecurrence
{
    private readonly long[] _onsets;
    private int _head;
    private int _size;
    private bool _inStorm;

    public StormRecurrence(double onsetDfi = 50, long horizonNs = 10 * Domain.Time.NanosPerMinute, int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizonNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        OnsetDfi = onsetDfi;
        HorizonNs = horizonNs;
        _onsets = new long[capacity];
    }

    public double OnsetDfi { get; }

    public long HorizonNs { get; }

    public int Capacity => _onsets.Length;

    /// <summary>Feeds the DFI of the window ending at <paramref name="tsNs"/>; returns onsets within the horizon up to now.</summary>
    public int Update(long tsNs, double dfi)
    {
        var storm = dfi >= OnsetDfi;
        if (storm && !_inStorm)
        {
            _onsets[(_head + _size) % _onsets.Length] = tsNs;
            if (_size < _onsets.Length)
            {
                _size++;
            }
            else
            {
                _head = (_head + 1) % _onsets.Length;
            }
        }
        _inStorm = storm;
        while (_size > 0 && _onsets[_head] <= tsNs - HorizonNs)
        {
            _head = (_head + 1) % _onsets.Length;
            _size--;
        }
        return _size;
    }
}
