namespace DmaSlip.Service;

/// <summary>
/// What <c>/healthz</c> reports as degraded besides a lost broker connection: a consumer of the active instance that
/// lags, meaning more than <see cref="ServeOptions.LagLimit"/> messages pending or awaiting ack, or messages pending
/// for longer than <see cref="ServeOptions.LagAge"/> without a single commit (stalled). Backlogs are read from the
/// consumer info every <see cref="ServeOptions.RefreshInterval"/>.
/// </summary>
public sealed partial class FleetService
{
    private readonly Dictionary<string, long> _backlogSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _progressAt = new(StringComparer.Ordinal);

    /// <summary>Why the service is degraded right now (empty when it is not).</summary>
    public IReadOnlyList<string> DegradedReasons()
    {
        var reasons = new List<string>();
        if (!NatsConnected)
        {
            reasons.Add("NATS disconnected");
        }
        if (!Active)
        {
            return reasons; // a standby consumes nothing, so the backlog is not its lag
        }
        lock (_lagGate)
        {
            foreach (var (consumer, backlog) in _lag)
            {
                if (backlog > _options.LagLimit)
                {
                    reasons.Add($"consumer {consumer} lags: {backlog} messages pending or awaiting ack (limit {_options.LagLimit})");
                    continue;
                }
                if (backlog > 0 && _backlogSince.TryGetValue(consumer, out var since))
                {
                    var from = Math.Max(since, _progressAt.GetValueOrDefault(consumer));
                    var stalled = _time.GetElapsedTime(from);
                    if (stalled > _options.LagAge)
                    {
                        reasons.Add($"consumer {consumer} stalled: {backlog} messages pending and nothing committed for {stalled.TotalSeconds:F0} s (limit {_options.LagAge.TotalSeconds:F0} s)");
                    }
                }
            }
        }
        return reasons;
    }

    private void Observed(string consumer, long backlog)
    {
        lock (_lagGate)
        {
            _lag[consumer] = backlog;
            if (backlog == 0)
            {
                _backlogSince.Remove(consumer);
            }
            else
            {
                _backlogSince.TryAdd(consumer, _time.GetTimestamp());
            }
        }
    }

    private void Progressed(string consumer)
    {
        lock (_lagGate)
        {
            _progressAt[consumer] = _time.GetTimestamp();
        }
    }
}
