using System.Buffers;
using DmaSlip.Ingest.Internal;

namespace DmaSlip.Ingest.Trace;

/// <summary>
/// A quarantined line or a perf header's host, found while parsing a chunk; <see cref="EventIndex"/> is the number of
/// the chunk's events before it, so that the delivery can replay it in line order. <see cref="Reason"/> null: a host.
/// </summary>
internal readonly record struct TraceChunkNote(int EventIndex, long Offset, string? Reason, string Text);

/// <summary>
/// One newline-aligned slice of a trace file (<see cref="LineChunkReader"/>) and what a worker made of it: the events in
/// line order, the notes, and the counts. Reused from chunk to chunk, so that a parse holds a fixed number of them.
/// </summary>
internal sealed class TraceChunk(int bufferSize) : IDisposable
{
    /// <summary>At least the requested size (pooled: a file of a few lines should not cost a fresh megabyte).</summary>
    public byte[] Data { get; private set; } = ArrayPool<byte>.Shared.Rent(bufferSize);

    public LineChunkKind Kind { get; set; }

    public int Length { get; set; }

    /// <summary>Byte offset in the file of <c>Data[0]</c>.</summary>
    public long Offset { get; set; }

    public HostEventEntry[] Events { get; private set; } = new HostEventEntry[1024];

    public int EventCount { get; private set; }

    public List<TraceChunkNote> Notes { get; } = [];

    public long Records { get; set; }

    public long Skipped { get; set; }

    /// <summary>Offset of the first used line whose time is relative to the trace buffer's start; -1 when none.</summary>
    public long RelativeClockAt { get; set; } = -1;

    /// <summary>What the worker threw, rethrown on the delivering thread.</summary>
    public Exception? Error { get; set; }

    /// <summary>Set by the worker when the results are complete.</summary>
    public ManualResetEventSlim Done { get; } = new(false, 1);

    /// <summary>The slot of the next event (the array grows when full); the caller counts it in <see cref="EventCount"/>.</summary>
    public HostEventEntry[] EventsWithRoom(int count)
    {
        if (count == Events.Length)
        {
            var grown = new HostEventEntry[Events.Length * 2];
            Events.AsSpan().CopyTo(grown);
            Events = grown;
        }
        return Events;
    }

    /// <summary>Stores what a worker counted in locals while it parsed (counters on the object would be written on every line).</summary>
    public void SetResults(int eventCount, long records, long skipped)
    {
        EventCount = eventCount;
        Records = records;
        Skipped = skipped;
    }

    /// <summary>Empties the results before the chunk is filled again.</summary>
    public void Reset()
    {
        EventCount = 0;
        Notes.Clear();
        Records = Skipped = 0;
        RelativeClockAt = -1;
        Error = null;
        Done.Reset();
    }

    public void Dispose()
    {
        Done.Dispose();
        if (Data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Data);
            Data = [];
        }
    }
}
