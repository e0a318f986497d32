using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Host;

/// <summary>
/// What the execution side needs from one simulated host: per millisecond, the extra delay on the order send path
/// and on market-data ingest (both from IOMMU/DMA/NAPI effects), whether a storm process was active, and the
/// policy timeline the policy provider produced from the host's frames.
/// </summary>
internal sealed class HostTimeline(long startNs, int ms)
{
    public long StartNs { get; } = startNs;

    public int Ms { get; } = ms;

    public byte[] Send { get; } = new byte[ms];

    public byte[] Ingest { get; } = new byte[ms];

    /// <summary>Per-ms share of inbound packets the host dropped (RX ring overflow), in 1/255 units.</summary>
    public byte[] Drop { get; } = new byte[ms];

    /// <summary>Per-ms storm-process flag (ground truth of the cause, not an observation), 64 ms per word.</summary>
    private readonly ulong[] _storm = new ulong[(ms + 63) / 64];

    public void MarkStorm(int msIndex) => _storm[msIndex >> 6] |= 1UL << (msIndex & 63);

    /// <summary>Policy changes in time order; the first entry holds from the session start.</summary>
    public List<(long TsNs, ExecutionPolicy Policy, Regime Regime)> Policy { get; } = [];

    public int Index(long tsNs)
    {
        var i = (tsNs - StartNs) / Time.NanosPerMilli;
        return i < 0 ? 0 : i >= Ms ? Ms - 1 : (int)i;
    }

    public long SendDelayNs(long tsNs) => DelayCode.Decode(Send[Index(tsNs)]);

    public long IngestDelayNs(long tsNs) => DelayCode.Decode(Ingest[Index(tsNs)]);

    /// <summary>The stored drop share of a millisecond: ⌈255 · dropped / arrived⌉ in 1/255 units, at least 1 when anything dropped.</summary>
    public static byte DropCode(int dropped, int arrived) =>
        dropped <= 0 ? (byte)0 : (byte)Math.Clamp((int)Math.Ceiling(255.0 * dropped / Math.Max(arrived, 1)), 1, 255);

    /// <summary>Probability that an inbound packet arriving at <paramref name="tsNs"/> was dropped by the host.</summary>
    public double DropShareAt(long tsNs) => Drop[Index(tsNs)] / 255.0;

    public bool StormAt(long tsNs) => StormAtMs(Index(tsNs));

    public bool StormAtMs(int msIndex) => (_storm[msIndex >> 6] & (1UL << (msIndex & 63))) != 0;

    /// <summary>True when a storm process was active in any millisecond of [from, to] (a word at a time).</summary>
    public bool StormBetween(long fromNs, long toNs) => AnyBetween(_storm, Index(fromNs), Index(toNs));

    /// <summary>Per-ms "anything dropped" flag, 64 ms per word: lets the execution side skip drop draws where nothing dropped.</summary>
    private readonly ulong[] _drops = new ulong[(ms + 63) / 64];

    public void SetDrop(int msIndex, byte code)
    {
        Drop[msIndex] = code;
        if (code != 0)
        {
            _drops[msIndex >> 6] |= 1UL << (msIndex & 63);
        }
    }

    /// <summary>True when the host dropped inbound packets in any millisecond of [from, to].</summary>
    public bool DropsBetween(long fromNs, long toNs) => AnyBetween(_drops, Index(fromNs), Index(toNs));

    private static bool AnyBetween(ulong[] words, int a, int b)
    {
        int wa = a >> 6, wb = b >> 6;
        for (var w = wa; w <= wb; w++)
        {
            var bits = words[w];
            if (w == wa)
            {
                bits &= ulong.MaxValue << (a & 63);
            }
            if (w == wb && (b & 63) != 63)
            {
                bits &= (1UL << ((b & 63) + 1)) - 1;
            }
            if (bits != 0)
            {
                return true;
            }
        }
        return false;
    }

    public (ExecutionPolicy Policy, Regime Regime) PolicyAt(long tsNs)
    {
        var list = Policy;
        if (list.Count == 0)
        {
            return (ExecutionPolicy.Normal, Regime.MapStable);
        }
        int lo = 0, hi = list.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (list[mid].TsNs <= tsNs)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return (list[lo].Policy, list[lo].Regime);
    }

    /// <summary>True when both timelines have the same delays (the twin of a host without storms is the host itself).</summary>
    public bool SameDelays(HostTimeline other) => Send.AsSpan().SequenceEqual(other.Send) && Ingest.AsSpan().SequenceEqual(other.Ingest) && Drop.AsSpan().SequenceEqual(other.Drop);
}
