using DmaSlip.Fleet.Resilience;

namespace DmaSlip.Service;

/// <summary>
/// One active writer per stream (docs/FLEET.md "One active writer"): the instance holding the <see cref="WriterLease"/>
/// consumes the stream and keeps the routing table measured; the others are hot standbys (store open, HTTP up,
/// connected) that try to take the lease every TTL/4 and start consuming the moment they get it. Without the lease
/// two instances on the durable consumers would each take about half the messages into their own databases.
/// </summary>
public sealed partial class FleetService
{
    private int _active;

    /// <summary>True while this instance is the active writer.</summary>
    public bool Active => Volatile.Read(ref _active) == 1;

    private Action<string> Log => _options.Log ?? (_ => { });

    private LeaseHolder Me() => new(
        Guid.NewGuid().ToString("N"),
        Environment.MachineName,
        Environment.ProcessId,
        Path.GetFullPath(_options.DbPath),
        Fleet.UnixTime.Nanoseconds(_time));

    private async Task<bool> TryAcquireLeaseAsync(CancellationToken ct)
    {
        try
        {
            if (await Lease!.TryAcquireAsync(ct).ConfigureAwait(false))
            {
                return true;
            }
        }
        catch (Exception ex) when (ex is NATS.Client.Core.NatsException or TimeoutException && !ct.IsCancellationRequested)
        {
            // broker trouble: still standby, the next round retries
        }
        if (Volatile.Read(ref _active) == 0 && _standbyLogged != Lease!.Holder?.Instance)
        {
            _standbyLogged = Lease.Holder?.Instance;
            Log(Lease.Holder is { } h
                ? $"lease: standby; the active writer is pid {h.Pid} on {h.Machine} (db {h.Db})"
                : "lease: standby; could not reach the lease bucket");
        }
        return false;
    }

    private string? _standbyLogged;

    /// <summary>Standby → (lease taken) active, running <paramref name="runActive"/> until the lease is lost or the service stops.</summary>
    private async Task LeaseLoopAsync(Func<CancellationToken, Task> runActive, CancellationToken stop)
    {
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            if (!(first ? Lease!.Held : await TryAcquireLeaseAsync(stop).ConfigureAwait(false)))
            {
                first = false;
                if (!await PauseAsync(Lease!.Ttl / 4, stop).ConfigureAwait(false))
                {
                    return;
                }
                continue;
            }
            first = false;
            Log($"lease: active writer (db {Lease!.Me.Db}); consuming {Fleet.FleetNames.Stream}");
            Volatile.Write(ref _active, 1);
            using var active = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var work = runActive(active.Token);
            var why = await HoldAsync(work, stop).ConfigureAwait(false);
            await active.CancelAsync().ConfigureAwait(false);
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stepping down or stopping
            }
            Volatile.Write(ref _active, 0);
            if (why is not null)
            {
                Lease.Abandon();
                _standbyLogged = null;
                Log("lease: " + why + "; stepped down to standby");
            }
        }
    }

    /// <summary>Renews every TTL/3 while <paramref name="work"/> runs; the reason the lease was lost, or null when stopping.</summary>
    private async Task<string?> HoldAsync(Task work, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await PauseAsync(Lease!.Ttl / 3, stop).ConfigureAwait(false))
            {
                return null;
            }
            if (work.IsCompleted)
            {
                return "the consumer stopped (" + (work.Exception?.GetBaseException().Message ?? "no error") + ")";
            }
            try
            {
                if (!await Lease.RenewAsync(stop).ConfigureAwait(false))
                {
                    return "lost the lease to another instance (or it expired before this renewal)";
                }
            }
            catch (Exception ex) when (ex is NATS.Client.Core.NatsException or TimeoutException && !stop.IsCancellationRequested)
            {
                if (!Lease.Held)
                {
                    return $"could not renew the lease for {Lease.Ttl.TotalSeconds * WriterLease.FenceFraction:F0} s ({BrokerConnect.Reason(ex)})";
                }
            }
        }
        return null;
    }

    private async Task<bool> PauseAsync(TimeSpan pause, CancellationToken ct)
    {
        try
        {
            await Task.Delay(pause, _time, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ReleaseLeaseAsync()
    {
        if (Lease is null || _nats is null)
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Lease.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a stop must not fail because the broker is gone: the lease then expires after its TTL
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
