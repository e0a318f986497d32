namespace DmaSlip.Service.Internal;

/// <summary>
/// Limits failed bearer-token attempts per client address: after <see cref="MaxFailures"/> failures within
/// <see cref="Window"/>, further writes from that address are refused (429) until the window has passed, so a token
/// cannot be guessed at request speed. Successful writes do not count. Thread-safe.
/// </summary>
internal sealed class AuthFailureLimiter(TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Seconds the client must wait before it may try again, or null when it may try now.</summary>
    public int? RetryAfter(string client)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(client, out var q))
            {
                return null;
            }
            Expire(q);
            if (q.Count < MaxFailures)
            {
                return null;
            }
            var wait = q.Peek() + Window - time.GetUtcNow();
            return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        }
    }

    /// <summary>Counts one failed attempt; returns the failures of this client within the window.</summary>
    public int Fail(string client)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(client, out var q))
            {
                if (_failures.Count > 10_000)
                {
                    _failures.Clear(); // bounded memory under a spray of addresses; the window restarts for all
                }
                q = new Queue<DateTimeOffset>();
                _failures[client] = q;
            }
            Expire(q);
            q.Enqueue(time.GetUtcNow());
            return q.Count;
        }
    }

    private void Expire(Queue<DateTimeOffset> q)
    {
        var cutoff = time.GetUtcNow() - Window;
        while (q.Count > 0 && q.Peek() <= cutoff)
        {
            q.Dequeue();
        }
    }
}
