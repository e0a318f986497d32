using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// Feeds <c>host_counters</c> rows of one host into a <see cref="CounterFrameBuilder"/>: the rows <c>features</c>
/// reads from the store (ordered by (source, device, name, ts)), and the same rows as the live samplers produce them
/// or a recording's replay parses them (in time order, streams interleaved). Each (source, device, name) stream keeps
/// its own state. Interval counters (<c>perf_stat</c>: each value is the count of the interval that ends at ts) span
/// from the previous row of their stream; the first row of a stream spans <see cref="FirstIntervalNs"/> when the
/// caller knows the collector's interval (live), else the stream's first spacing (known at its second row).
/// Cumulative counters (<c>ethtool</c>, <c>dmar_perf_latency</c>, <c>interrupts</c>) contribute their delta between
/// consecutive snapshots; a counter that went down (reset) contributes nothing for that interval. A stream silent for
/// more than <see cref="RestartGapNs"/> and ten of its own steps (the collector stopped: overnight, a restart) starts
/// again: its next interval row spans one step, not the gap, and a snapshot's delta over the gap is not placed (it
/// says how much, not when) — spreading them over the gap made frames of hours with no data and a flush rate of ~0.
/// Rows not used are counted.
/// </summary>
public sealed class CounterStreams(CounterFrameBuilder builder, IReadOnlyDictionary<int, int> queueOfCpu, long firstIntervalNs = 0)
{
    private readonly Dictionary<(string Source, string Device, string Name), Stream> _streams = [];
    private Stream? _last;

    private enum Kind
    {
        None,
        QueueInterval,
        HostInterval,
        QueueCumulative,
        HostCumulative,
    }

    private readonly record struct Target(Kind Kind, int Series, int Queue);

    private sealed class Stream(string source, string device, string name, Target target)
    {
        public readonly string Source = source, Device = device, Name = name;
        public readonly Target Target = target;
        public long PrevTs = long.MinValue;
        public double PrevValue;
        public long FirstTs = long.MinValue;
        public double FirstValue;
        public long StepNs;
    }

    /// <summary>The least silence after which a stream counts as restarted (also at least ten of its steps).</summary>
    public const long RestartGapNs = 10 * Time.NanosPerSecond;

    /// <summary>The known length of a stream's first interval (0 = take it from the stream's first spacing).</summary>
    public long FirstIntervalNs => firstIntervalNs;

    /// <summary>Rows that fed the builder.</summary>
    public long Used { get; private set; }

    /// <summary>Rows of series no frame column uses (other events, other counters) or of CPUs that serve no queue.</summary>
    public long Unused { get; private set; }

    /// <summary>Rows that came after their stream's silence of more than <see cref="RestartGapNs"/> (the collector restarted).</summary>
    public long Restarts { get; private set; }

    /// <summary>Whether a row of this (source, device, name) feeds a frame column.</summary>
    public bool Uses(HostCounter c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return _streams.TryGetValue((c.Source, c.Device, c.Name), out var st) ? st.Target.Kind != Kind.None : Classify(c).Kind != Kind.None;
    }

    public void Observe(HostCounter c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var st = _last;
        if (st is null || !string.Equals(st.Name, c.Name, StringComparison.Ordinal) || !string.Equals(st.Device, c.Device, StringComparison.Ordinal)
            || !string.Equals(st.Source, c.Source, StringComparison.Ordinal))
        {
            if (!_streams.TryGetValue((c.Source, c.Device, c.Name), out st))
            {
                st = new Stream(c.Source, c.Device, c.Name, Classify(c));
                _streams.Add((c.Source, c.Device, c.Name), st);
            }
            _last = st;
        }
        if (st.Target.Kind == Kind.None)
        {
            Unused++;
            return;
        }
        Used++;
        var restarted = st.PrevTs != long.MinValue && c.TsNs - st.PrevTs > Math.Max(RestartGapNs, 10 * st.StepNs);
        if (restarted)
        {
            Restarts++;
        }
        else if (st.PrevTs != long.MinValue && st.StepNs == 0)
        {
            st.StepNs = c.TsNs - st.PrevTs;
        }
        switch (st.Target.Kind)
        {
            case Kind.QueueInterval or Kind.HostInterval:
                if (restarted || st.PrevTs == long.MinValue)
                {
                    // A stream's first row, or its first after a restart: one step long when the step is known (the
                    // collector's interval, else the stream's own spacing before the gap); otherwise it waits for the
                    // next row (a lone row before a gap, which never learned its length, is dropped).
                    var step = firstIntervalNs > 0 ? firstIntervalNs : restarted ? st.StepNs : 0;
                    if (step > 0)
                    {
                        Add(st.Target, c.TsNs - step, c.TsNs, c.Value);
                    }
                    else
                    {
                        (st.FirstTs, st.FirstValue) = (c.TsNs, c.Value);
                    }
                }
                else
                {
                    if (st.FirstTs != long.MinValue)
                    {
                        Add(st.Target, st.FirstTs - (c.TsNs - st.FirstTs), st.FirstTs, st.FirstValue);
                        st.FirstTs = long.MinValue;
                    }
                    Add(st.Target, st.PrevTs, c.TsNs, c.Value);
                }
                break;
            default:
                if (!restarted && st.PrevTs != long.MinValue && c.Value >= st.PrevValue)
                {
                    Add(st.Target, st.PrevTs, c.TsNs, c.Value - st.PrevValue);
                }
                break;
        }
        st.PrevTs = c.TsNs;
        st.PrevValue = c.Value;
    }

    /// <summary>
    /// The time up to which every used stream has reported (the oldest latest row among them): a window that ends by
    /// then gets nothing more from a stream that keeps its cadence. An interval stream whose first row still waits for
    /// its length (the second row) holds everything back. Streams silent since before <paramref name="staleBeforeNs"/>
    /// (ended, or stalled) are not waited for. long.MinValue before any row.
    /// </summary>
    public long Watermark(long staleBeforeNs)
    {
        var min = long.MaxValue;
        var any = false;
        foreach (var st in _streams.Values)
        {
            if (st.Target.Kind != Kind.None && st.PrevTs != long.MinValue && st.PrevTs >= staleBeforeNs)
            {
                min = Math.Min(min, st.FirstTs != long.MinValue ? long.MinValue : st.PrevTs);
                any = true;
            }
        }
        return any ? min : long.MinValue;
    }

    private void Add(Target target, long start, long end, double v)
    {
        if (target.Kind is Kind.QueueInterval or Kind.QueueCumulative)
        {
            builder.AddQueue((QueueSeries)target.Series, target.Queue, start, end, v);
        }
        else
        {
            builder.AddHost((HostSeries)target.Series, start, end, v);
        }
    }

    private Target Classify(HostCounter c)
    {
        switch (c.Source)
        {
            case "perf_stat" when c.Device.StartsWith("cpu", StringComparison.Ordinal):
            {
                QueueSeries? s = c.Name switch
                {
                    "iommu:map" => QueueSeries.Map,
                    "iommu:unmap" => QueueSeries.Unmap,
                    "intel_iommu:qi_submit" => QueueSeries.QiSubmit,
                    "napi:napi_poll" => QueueSeries.NapiPoll,
                    "net:netif_receive_skb" => QueueSeries.Rx,
                    "net:net_dev_xmit" => QueueSeries.Tx,
                    _ => null,
                };
                if (s is { } series && int.TryParse(c.Device.AsSpan(3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cpu)
                    && queueOfCpu.TryGetValue(cpu, out var q))
                {
                    return new Target(Kind.QueueInterval, (int)series, q);
                }
                return default;
            }
            case "perf_stat" when c.Name is "iotlb_lookup" or "iotlb_hit":
                return new Target(Kind.HostInterval, c.Name == "iotlb_lookup" ? (int)HostSeries.IotlbLookup : (int)HostSeries.IotlbHit, -1);
            case "ethtool":
            {
                if (!QueueName(c.Name, out var q, out var baseName))
                {
                    return default;
                }
                QueueSeries? s = baseName switch
                {
                    "ch_poll" => QueueSeries.EthtoolPolls,
                    "ch_arm" => QueueSeries.EthtoolArms,
                    "rx_pp_alloc_slow" => QueueSeries.EthtoolSlowAllocs,
                    "rx_pp_alloc_waive" => QueueSeries.EthtoolWaived,
                    _ => null,
                };
                return s is { } series ? new Target(Kind.QueueCumulative, (int)series, q) : default;
            }
            case "interrupts" when string.Equals(c.Device, builder.Device, StringComparison.Ordinal) && c.Name.StartsWith("queue", StringComparison.Ordinal)
                && c.Name.EndsWith(".interrupts", StringComparison.Ordinal)
                && int.TryParse(c.Name.AsSpan(5, c.Name.Length - 5 - ".interrupts".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var vq):
                return new Target(Kind.QueueCumulative, (int)QueueSeries.Interrupts, vq);
            case "dmar_perf_latency" when c.Name.StartsWith("inv_iotlb.", StringComparison.Ordinal):
            {
                var k = Array.IndexOf(BucketNames, c.Name["inv_iotlb.".Length..]);
                return k >= 0 ? new Target(Kind.HostCumulative, (int)HostSeries.InvBucket0 + k, -1) : default;
            }
            default:
                return default;
        }
    }

    /// <summary>The decade bucket column names of <c>dmar_perf_latency</c>, in order.</summary>
    public static readonly string[] BucketNames = ["lt_100ns", "100ns_1us", "1us_10us", "10us_100us", "100us_1ms", "1ms_10ms", "ge_10ms"];

    /// <summary>mlx5 per-ring names: <c>ch3_poll</c> → (3, ch_poll), <c>rx3_pp_alloc_slow</c> → (3, rx_pp_alloc_slow).</summary>
    internal static bool QueueName(string name, out int queue, out string baseName)
    {
        queue = -1;
        baseName = name;
        if (name.Length < 4 || !(name.StartsWith("ch", StringComparison.Ordinal) || name.StartsWith("rx", StringComparison.Ordinal)) || !char.IsAsciiDigit(name[2]))
        {
            return false;
        }
        var i = 2;
        while (i < name.Length && char.IsAsciiDigit(name[i]))
        {
            i++;
        }
        if (i >= name.Length || name[i] != '_' || !int.TryParse(name.AsSpan(2, i - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out queue))
        {
            return false;
        }
        baseName = string.Concat(name.AsSpan(0, 2), name.AsSpan(i));
        return true;
    }
}
