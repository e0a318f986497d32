using System.Text;

namespace DmaSlip.Ingest.Internal;

/// <summary>
/// Interns the few distinct strings a file repeats millions of times (device names, symbols, venues) so that a parsed
/// line does not allocate a new string for them. Bounded: past <see cref="MaxEntries"/> it stops caching.
/// </summary>
internal sealed class StringCache
{
    private const int MaxEntries = 4096;
    private readonly Dictionary<int, List<(byte[] Key, string Value)>> _map = [];
    private int _count;
    private byte[] _lastKey = [];
    private string _lastValue = "";

    public string Get(ReadOnlySpan<byte> bytes)
    {
        // runs of one device are the common case: skip the hash for a repeat of the last string
        if (bytes.SequenceEqual(_lastKey))
        {
            return _lastValue;
        }
        var hash = Hash(bytes);
        if (_map.TryGetValue(hash, out var bucket))
        {
            foreach (var (key, value) in bucket)
            {
                if (bytes.SequenceEqual(key))
                {
                    _lastKey = key;
                    _lastValue = value;
                    return value;
                }
            }
        }
        var s = Encoding.UTF8.GetString(bytes);
        if (_count < MaxEntries)
        {
            if (bucket is null)
            {
                bucket = [];
                _map[hash] = bucket;
            }
            var key = bytes.ToArray();
            bucket.Add((key, s));
            _count++;
            _lastKey = key;
            _lastValue = s;
        }
        return s;
    }

    private static int Hash(ReadOnlySpan<byte> s)
    {
        var h = new HashCode();
        h.AddBytes(s);
        return h.ToHashCode();
    }
}
