using DmaSlip.Core.Domain;
using DmaSlip.Core.Features;

namespace DmaSlip.Simulation.Host;

/// <summary>
/// Feeds each 1 ms aggregate of every queue, as <see cref="HostEvent"/>s with <see cref="HostEvent.Count"/>, through
/// the Core <see cref="HostFrameEngine"/> — the same engine the on-host agent runs — so the simulator's frames are
/// never a second implementation. Frames go to the given sinks (frames.csv writer, policy source).
/// </summary>
internal sealed class FrameEmitter : IHostObserver, IHostFrameSink
{
    private readonly HostFrameEngine[] _engines;
    private readonly IHostFrameSink[] _sinks;
    private readonly long _ringSize;
    private readonly int _packetBytes;
    private readonly long _local;

    public FrameEmitter(HostSetup setup, HostPhysics physics, long windowNs, params IHostFrameSink[] sinks)
    {
        _sinks = sinks;
        _ringSize = physics.RingSize;
        _packetBytes = physics.PacketBytes;
        _local = setup.Pool.NumaMisplaced ? 0 : 1;
        var options = new HostFrameOptions { WindowNs = windowNs };
        _engines = new HostFrameEngine[setup.Queues];
        for (var q = 0; q < _engines.Length; q++)
        {
            _engines[q] = new HostFrameEngine(setup.Name, setup.Info.Device, q, this, options);
        }
    }

    public void OnStep(HostModel model, int ms, long tsNs)
    {
        var steps = model.Steps;
        for (var q = 0; q < steps.Length; q++)
        {
            ref readonly var s = ref steps[q];
            var e = _engines[q];
            var cpu = s.Cpu;
            if (s.RxProcessed > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.Rx, q, cpu, _packetBytes, 0, 0, s.RxProcessed));
            }
            if (s.Tx > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.Tx, q, cpu, 128, 0, 0, s.Tx));
            }
            if (s.Maps > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.Map, q, cpu, 4096, 0, 0, s.Maps));
                e.Observe(new HostEvent(tsNs, HostEventKind.BufferPlacement, q, cpu, 4096, _local, 0, s.Maps));
            }
            if (s.Unmaps > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.Unmap, q, cpu, 4096, 0, 0, s.Unmaps));
            }
            if (s.Flushes > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.Flush, q, cpu, 0, 0, 0, s.Flushes));
            }
            var descriptors = s.Invalidations + s.Flushes;
            if (descriptors > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.QiSubmit, q, cpu, 0, (long)s.InvalidationLatencyNs, 0, descriptors));
            }
            if (s.NapiFullPolls > 0)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.NapiPoll, q, cpu, (long)s.PollDurationNs, 64, 64, s.NapiFullPolls));
            }
            if (s.NapiPolls > s.NapiFullPolls)
            {
                e.Observe(new HostEvent(tsNs, HostEventKind.NapiPoll, q, cpu, (long)s.PollDurationNs, s.LastPollWork, 64, 1));
            }
            if (s.DmaCount > 0)
            {
                // Per-DMA completion times are a mixture: IOTLB hits, misses (page walk), and completions stalled
                // behind an interrupts-off spin. Spread over the three in proportion, so DJS sees the storm's tail.
                var (hits, misses, stalled) = DmaMix(s.DmaCount, s.IotlbMisses, s.DmaStalled);
                if (hits > 0)
                {
                    e.Observe(new HostEvent(tsNs, HostEventKind.DmaComplete, q, cpu, 0, (long)s.DmaHitNs, 0, hits));
                }
                if (misses > 0)
                {
                    e.Observe(new HostEvent(tsNs, HostEventKind.DmaComplete, q, cpu, 0, (long)s.DmaMissNs, 0, misses));
                }
                if (stalled > 0)
                {
                    e.Observe(new HostEvent(tsNs, HostEventKind.DmaComplete, q, cpu, 0, (long)s.DmaStalledNs, 0, stalled));
                }
            }
            e.Observe(new HostEvent(tsNs, HostEventKind.RingOccupancy, q, cpu, 0, s.RingUsed, _ringSize, 1));
        }
    }

    /// <summary>How a step's DMAs split into IOTLB hits, misses and spin-stalled completions (stalled first, then misses).</summary>
    internal static (int Hits, int Misses, int Stalled) DmaMix(int dmaCount, int iotlbMisses, int stalled)
    {
        stalled = Math.Min(stalled, dmaCount);
        var misses = Math.Min(iotlbMisses, dmaCount - stalled);
        return (dmaCount - stalled - misses, misses, stalled);
    }

    public void Complete(HostModel model, long endNs)
    {
        foreach (var e in _engines)
        {
            e.Flush();
        }
    }

    public void OnFrame(HostFrame frame)
    {
        foreach (var s in _sinks)
        {
            s.OnFrame(frame);
        }
    }
}

/// <summary>Forwards frames to a host's policy source.</summary>
internal sealed class PolicyFrameSink(IHostPolicySource source) : IHostFrameSink
{
    public void OnFrame(HostFrame frame) => source.OnFrame(frame);
}
