using DmaSlip.Fleet.Agent;
using DmaSlip.Fleet.Spool;
using DmaSlip.Fleet.Tests.Infra;
using DmaSlip.Fleet.Wire;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

/// <summary>What the agent puts in its spool when it sends several windows per frame-batch message.</summary>
public sealed class AgentBatchingTests
{
    [Fact]
    public async Task Ten_windows_go_in_one_message_and_a_regime_change_sends_the_held_windows_right_behind_it()
    {
        using var dir = new TempDir();
        var frames = FrameFiles.Write(dir.Path, "h5", windows: 95, stormFrom: 40);
        // no broker: everything stays in the spool, in the order the agent queued it
        var connection = FleetConnection.Create($"nats://127.0.0.1:{Ports.Free()}", "test-batching", waitForServer: false);
        await using (connection)
        {
            using var spool = new MessageSpool(new SpoolOptions(null));
            var agent = new FleetAgent("h5", "p5", new ReplayFrameSource(dir.Path, "h5", speed: 1000, TimeProvider.System),
                new ControllerRegimeTracker("h5", DmaSlip.Core.Control.RegimeControllerConfig.Default, warmupWindows: 20), spool, TimeProvider.System)
            {
                WindowsPerMessage = 10,
            };
            var report = await agent.RunAsync(connection.JetStream, TimeSpan.FromMilliseconds(100), CancellationToken.None);

            var messages = new List<SpoolEntry>();
            while (spool.Count > 0)
            {
                var e = await spool.PeekAsync(CancellationToken.None);
                messages.Add(e);
                spool.Remove(e);
            }
            Assert.Equal(report.Unsent, messages.Count);
            Assert.True(report.RegimeChanges > 0, "the storm must move the controller");

            var batches = new List<FrameBatch>();
            var changeEnds = new List<long>();
            for (var i = 0; i < messages.Count; i++)
            {
                if (FleetCodec.TryDecode(messages[i].Payload, out RegimeChange? change, out _))
                {
                    changeEnds.Add(change!.Transition.TsNs);
                    // the windows held up to the change (the one that changed it included) follow it at once
                    Assert.True(FleetCodec.TryDecode(messages[i + 1].Payload, out FrameBatch? next, out var e), e.ToString());
                    Assert.Equal(change.Transition.TsNs, next!.Frames[^1].WindowStartNs + next.Frames[^1].WindowNs);
                    continue;
                }
                Assert.True(FleetCodec.TryDecode(messages[i].Payload, out FrameBatch? batch, out var error), error.ToString());
                batches.Add(batch!);
            }
            Assert.Equal(report.RegimeChanges, changeEnds.Count);
            Assert.Equal(frames, batches.SelectMany(b => b.Frames)); // every frame once, in order
            Assert.Equal(Enumerable.Range(1, batches.Count).Select(n => (ulong)n), batches.Select(b => b.Sequence));
            for (var i = 0; i < batches.Count; i++)
            {
                var windows = batches[i].Frames.Select(f => f.WindowStartNs).Distinct().Count();
                Assert.InRange(windows, 1, 10);
                var end = batches[i].Frames[^1].WindowStartNs + batches[i].Frames[^1].WindowNs;
                // a short batch is one a regime change cut, or the last
                Assert.True(windows == 10 || changeEnds.Contains(end) || i == batches.Count - 1, $"batch {i} holds {windows} windows");
            }
            Assert.True(batches.Count < 95 / 5, $"{batches.Count} messages for 95 windows");
        }
    }
}
