using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Features.Counters;

/// <summary>
/// Feeds stored <c>host_counters</c> rows of one host into a <see cref="CounterFrameBuilder"/>. Rows must come ordered
/// by (source, device, name, ts). Interval counters (<c>perf_stat</c>: each value is the count of the interval that
/// ends at ts) span from the previous row of their stream; the first row of a stream spans the stream's first
/// spacing. Cumulative counters (<c>ethtool</c>, <c>dmar_perf_latency</c>) contribute their delta between consecutive
/// snapshots; a counter that went down (reset) contributes nothing for that interval. Rows not used are counted.
/// </summary>
public sealed class CounterStreams(CounterFrameBuilder builder, IReadOnlyDictionary<int, int> queueOfCpu)
{
    private (string Source, string Device, string Name) _key = ("", "", "");
    private long _prevTs = long.MinValue;
    private double _prevValue;
    private (long Ts, double Value)? _first;
    private Target _target;

    private enum Kind
    {
        None,
        QueueInterval,
        HostInterval,
        QueueCumulative,
        HostCumulative,
    }

    private readonly record struct Target(Kind Kind, int Series, int Queue);

    /// <summary>Rows that fed the builder.</summary>
    public long Used { get; private set; }

    /// <summary>Rows of series no frame column uses (other events, other counters) or of CPUs that serve no queue.</summary>
    public long Unused { get; private set; }

    public void Observe(HostCounter c)
    {
        if (c.Source != _key.Source || c.Device != _key.Device || c.Name != _key.Name)
        {
            _key = (c.Source, c.Device, c.Name);
            _prevTs = long.MinValue;
            _first = null;
            _target = Classify(c);
        }
        if (_target.Kind == Kind.None)
        {
            Unused++;
            return;
        }
        Used++;
        switch (_target.Kind)
        {
            case Kind.QueueInterval or Kind.HostInterval:
                if (_prevTs == long.MinValue)
                {
                    _first = (c.TsNs, c.Value);
                }
                else
                {
                    if (_first is { } f)
                    {
                        Add(f.Ts - (c.TsNs - f.Ts), f.Ts, f.Value);
                        _first = null;
                    }
                    Add(_prevTs, c.TsNs, c.Value);
                }
                break;
            default:
                if (_prevTs != long.MinValue && c.Value >= _prevValue)
                {
                    Add(_prevTs, c.TsNs, c.Value - _prevValue);
                }
                break;
        }
        _prevTs = c.TsNs;
        _prevValue = c.Value;
    }

    private void Add(long start, long end, double v)
    {
        if (_target.Kind is Kind.QueueInterval or Kind.QueueCumulative)
        {
            builder.AddQueue((QueueSeries)_target.Series, _target.Queue, start, end, v);
        }
        else
        {
            builder.AddHost((HostSeries)_target.Series, start, end, v);
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
