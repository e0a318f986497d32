namespace DmaSlip.Fleet.Spool;

/// <summary>What the spool does when it holds <see cref="SpoolOptions.Capacity"/> messages and another arrives.</summary>
public enum SpoolOverflow
{
    /// <summary>Discard the oldest unsent message (keep the freshest picture of the host); counted.</summary>
    DropOldest,
    /// <summary>Discard the arriving message (keep history contiguous up to the outage); counted.</summary>
    DropNewest,
    /// <summary>Make the producer wait until the broker takes messages again (no loss; sampling stalls).</summary>
    Block,
}

/// <summary>
/// Bounds and placement of an agent's outgoing-message spool. <see cref="Directory"/> null keeps the spool in memory
/// only (for benchmarks and tests of the publish path); with a directory, unsent messages survive an agent restart.
/// </summary>
public sealed record SpoolOptions(string? Directory, int Capacity = 100_000, SpoolOverflow Overflow = SpoolOverflow.Block)
{
    /// <summary>Compact the log once it is larger than this and at least half of it has been sent.</summary>
    public long CompactBytes { get; init; } = 16L << 20;

    public static bool TryParseOverflow(string? s, out SpoolOverflow overflow)
    {
        switch (s?.Trim().ToLowerInvariant())
        {
            case "drop-oldest": overflow = SpoolOverflow.DropOldest; return true;
            case "drop-newest": overflow = SpoolOverflow.DropNewest; return true;
            case "block": overflow = SpoolOverflow.Block; return true;
            default: overflow = SpoolOverflow.Block; return false;
        }
    }
}

/// <summary>One outgoing message: subject, <c>Nats-Msg-Id</c>, body.</summary>
public sealed record SpoolEntry(string Subject, string MessageId, byte[] Payload);
