using DmaSlip.Core.Domain;
using DmaSlip.Fleet.Wire;
using NATS.Client.JetStream;

namespace DmaSlip.Fleet.Tests.Infra;

/// <summary>Frame batches published straight to the stream (one frame each), for tests of the service's consumer side.</summary>
internal static class TestBatches
{
    public static FrameBatch Batch(string host, string pool, ulong sequence, Regime regime = Regime.MapStable) =>
        new(host, pool, "boot-t", sequence, (long)sequence * FrameFiles.WindowNs, regime, new RegimeSignals(5, 0.1, 0.2, 0, 0),
        [
            new HostFrame(host, "eth0", 0, FrameFiles.StartNs + ((long)sequence * FrameFiles.WindowNs), FrameFiles.WindowNs, 1_000, 3, 8, 12, 50_000, 49_800,
                null, null, null, null, null, null, null, null, null, null, null, 100),
        ]);

    public static async Task PublishAsync(FleetConnection c, FrameBatch batch)
    {
        var ack = await c.JetStream.PublishAsync(FleetNames.FramesSubject(batch.Pool, batch.Host), FleetCodec.Encode(batch), opts: new NatsJSPubOpts { MsgId = batch.MessageId });
        ack.EnsureSuccess();
    }
}
