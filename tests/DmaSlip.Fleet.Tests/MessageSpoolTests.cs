using DmaSlip.Fleet.Spool;
using DmaSlip.Testing;

namespace DmaSlip.Fleet.Tests;

public sealed class MessageSpoolTests
{
    private static SpoolEntry E(int i) => new("dmaslip.frames.p.h", "h/b/f" + i, [(byte)i, 1, 2, 3]);

    [Fact]
    public async Task Unsent_messages_survive_a_restart_in_order_and_sent_ones_do_not_come_back()
    {
        using var dir = new TempDir();
        using (var spool = new MessageSpool(new SpoolOptions(dir.Path)))
        {
            for (var i = 0; i < 10; i++)
            {
                await spool.AddAsync(E(i), CancellationToken.None);
            }
            for (var i = 0; i < 4; i++)
            {
                spool.Remove(await spool.PeekAsync(CancellationToken.None));
            }
        }
        using var reopened = new MessageSpool(new SpoolOptions(dir.Path));
        Assert.Equal(6, reopened.Recovered);
        for (var i = 4; i < 10; i++)
        {
            var e = await reopened.PeekAsync(CancellationToken.None);
            Assert.Equal("h/b/f" + i, e.MessageId);
            Assert.Equal(E(i).Payload, e.Payload);
            reopened.Remove(e);
        }
        Assert.Equal(0, new FileInfo(dir.File("spool.log")).Length);
    }

    [Fact]
    public async Task A_torn_last_record_is_cut_off_and_everything_before_it_is_kept()
    {
        using var dir = new TempDir();
        using (var spool = new MessageSpool(new SpoolOptions(dir.Path)))
        {
            for (var i = 0; i < 3; i++)
            {
                await spool.AddAsync(E(i), CancellationToken.None);
            }
        }
        var log = dir.File("spool.log");
        File.WriteAllBytes(log, File.ReadAllBytes(log)[..^3]);
        using var reopened = new MessageSpool(new SpoolOptions(dir.Path));
        Assert.Equal(2, reopened.Recovered);
    }

    [Fact]
    public async Task Overflow_follows_the_chosen_policy()
    {
        using (var oldest = new MessageSpool(new SpoolOptions(null, Capacity: 3, Overflow: SpoolOverflow.DropOldest)))
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.True(await oldest.AddAsync(E(i), CancellationToken.None));
            }
            Assert.Equal(2, oldest.DroppedOldest);
            Assert.Equal("h/b/f2", (await oldest.PeekAsync(CancellationToken.None)).MessageId);
        }
        using (var newest = new MessageSpool(new SpoolOptions(null, Capacity: 3, Overflow: SpoolOverflow.DropNewest)))
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(i < 3, await newest.AddAsync(E(i), CancellationToken.None));
            }
            Assert.Equal(2, newest.DroppedNewest);
            Assert.Equal("h/b/f0", (await newest.PeekAsync(CancellationToken.None)).MessageId);
        }
        using var block = new MessageSpool(new SpoolOptions(null, Capacity: 2, Overflow: SpoolOverflow.Block));
        await block.AddAsync(E(0), CancellationToken.None);
        await block.AddAsync(E(1), CancellationToken.None);
        var third = block.AddAsync(E(2), CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        block.Remove(await block.PeekAsync(CancellationToken.None));
        Assert.True(await third.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, block.Count);
    }

    [Fact]
    public async Task A_large_log_is_compacted_once_half_of_it_is_sent()
    {
        using var dir = new TempDir();
        using var spool = new MessageSpool(new SpoolOptions(dir.Path) { CompactBytes = 1024 });
        for (var i = 0; i < 200; i++)
        {
            await spool.AddAsync(E(i), CancellationToken.None);
        }
        var before = new FileInfo(dir.File("spool.log")).Length;
        for (var i = 0; i < 120; i++)
        {
            spool.Remove(await spool.PeekAsync(CancellationToken.None));
        }
        Assert.True(new FileInfo(dir.File("spool.log")).Length < before);
        spool.Dispose();
        using var reopened = new MessageSpool(new SpoolOptions(dir.Path));
        Assert.Equal(80, reopened.Recovered);
        Assert.Equal("h/b/f120", (await reopened.PeekAsync(CancellationToken.None)).MessageId);
    }
}
