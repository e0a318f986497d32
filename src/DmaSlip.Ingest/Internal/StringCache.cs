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
    // a few devices (dmar1, eth0, a BDF) interleave line after line: a 16-slot direct-mapped memo in front of the
    // dictionary answers them without hashing the bytes
    private readonly byte[][] _recentKeys = [.. Enumerable.Repeat(Array.Empty<byte>(), 16)];
    private readonly string[] _recentValues = [.. Enumerable.Repeat("", 16)];

    public string Get(ReadOnlySpan<byte> bytes)
    {
        var slot = bytes.IsEmpty ? 0 : (bytes.Length + bytes[0] + (bytes[^1] * 3)) & 15;
        if (bytes.SequenceEqual(_recentKeys[slot]))
        {
            return _recentValues[slot];
        }
        var hash = Hash(bytes);
        if (_map.TryGetValue(hash, out var bucket))
        {
            foreach (var (key, value) in bucket)
            {
                if (bytes.SequenceEqual(key))
                {
                    _recentKeys[slot] = key;
                    _recentValues[slot] = value;
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
            _recentKeys[slot] = key;
            _recentValues[slot] = s;
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
