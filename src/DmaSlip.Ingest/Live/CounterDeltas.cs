using DmaSlip.Core.Domain;
using DmaSlip.Ingest.Counters;

namespace DmaSlip.Ingest.Live;

/// <summary>An aggregated host event of one device stream (the queue is in the event).</summary>
public readonly record struct LiveEvent(string Device, HostEvent Event);

/// <summary>
/// Turns the change of cumulative counters between two samples into aggregated <see cref="HostEvent"/>s
/// (<see cref="HostEvent.Count"/> = the delta), stamped at the later sample, so that counter-only hosts feed the same
/// feature engine as traced ones. A counter that went down (reset, driver reload) yields nothing for that interval.
/// Rules (docs/INGEST.md "Counters to events"):
/// <list type="bullet">
/// <item>/proc/net/dev rx_packets/tx_packets → Rx/Tx on (iface, −1), Size = Δbytes/Δpackets.</item>
/// <item>softnet_stat processed → Rx on ("softnet", cpu) (packets this CPU's backlog/NAPI processed, loopback included).</item>
/// <item>softnet_stat time_squeeze → NapiPoll with work = budget = 64 (a poll that ran out of budget) on ("softnet", cpu).</item>
/// <item>/proc/interrupts NIC queue vector → NapiPoll (one NAPI schedule per interrupt; work and budget unknown = 0) on (device, queue).</item>
/// <item>ethtool page-pool rx&lt;q&gt;_pp_alloc_slow(+_high_order), legacy rx&lt;q&gt;_cache_empty → Map; rx&lt;q&gt;_pp_recycle_ring_full,
/// _recycle_released_ref, legacy rx&lt;q&gt;_cache_full → Unmap (4 KiB pages) on (nic, q).</item>
/// <item>dmar_perf_latency bucket counts → QiSubmit with Value = the bucket's representative latency (ns) on (dmarN, −1).</item>
/// <item>perf tracepoint counts on ("tracepoint", −1): iommu:map → Map, iommu:unmap → Unmap, intel_iommu:qi_submit → QiSubmit,
/// napi:napi_poll → NapiPoll (work and budget unknown), net:netif_receive_skb → Rx, net:net_dev_xmit → Tx.</item>
/// </list>
/// Every (device, queue) stream whose counters were read in both samples is added to <c>streams</c>, changed or not:
/// a stream sampled twice with no change measured a quiet interval.
/// </summary>
internal static class CounterDeltas
{
    private const long NapiWeight = 64;
    private const long PageBytes = 4096;

    public static void ToEvents(IReadOnlyDictionary<(string Source, string Device, string Name), double> previous, IReadOnlyList<HostCounter> current, long tsNs,
        List<LiveEvent> into, ICollection<(string Device, int Queue)>? streams = null, IReadOnlyDictionary<(string, string, string), double>? currentByKey = null)
    {
        var cur = currentByKey;
        if (cur is null)
        {
            var built = new Dictionary<(string, string, string), double>(current.Count);
            foreach (var c in current)
            {
                built[(c.Source, c.Device, c.Name)] = c.Value;
            }
            cur = built;
        }
        double Delta(string source, string device, string name) =>
            cur.TryGetValue((source, device, name), out var now) && previous.TryGetValue((source, device, name), out var before) && now >= before ? now - before : 0;
        void Seen(HostCounter c, string device, int queue)
        {
            if (streams is not null && previous.ContainsKey((c.Source, c.Device, c.Name)))
            {
                streams.Add((device, queue));
            }
        }
        foreach (var c in current)
        {
            switch (c.Source)
            {
                case "proc_net_dev" when c.Name is "rx_packets" or "tx_packets":
                {
                    Seen(c, c.Device, -1);
                    var packets = Delta(c.Source, c.Device, c.Name);
                    if (packets > 0)
                    {
                        var bytes = Delta(c.Source, c.Device, c.Name[..3] + "bytes");
                        var kind = c.Name[0] == 'r' ? HostEventKind.Rx : HostEventKind.Tx;
                        Add(into, c.Device, new HostEvent(tsNs, kind, -1, -1, (long)(bytes / packets), 0, 0, (int)Math.Min(int.MaxValue, packets)));
                    }
                    break;
                }
                case "softnet_stat" when c.Name == "processed":
                {
                    var processed = Delta(c.Source, c.Device, c.Name);
                    var isCpu = int.TryParse(c.Device.AsSpan(3), out var cpu);
                    if (isCpu)
                    {
                        Seen(c, "softnet", cpu);
                    }
                    if (processed > 0 && isCpu)
                    {
                        Add(into, "softnet", new HostEvent(tsNs, HostEventKind.Rx, cpu, cpu, 0, 0, 0, (int)Math.Min(int.MaxValue, processed)));
                    }
                    break;
                }
                case "softnet_stat" when c.Name == "time_squeeze":
                {
                    var squeezed = Delta(c.Source, c.Device, c.Name);
                    if (squeezed > 0 && int.TryParse(c.Device.AsSpan(3), out var cpu))
                    {
                        Add(into, "softnet", new HostEvent(tsNs, HostEventKind.NapiPoll, cpu, cpu, 0, NapiWeight, NapiWeight, (int)squeezed));
                    }
                    break;
                }
                case "interrupts":
                {
                    var irqs = Delta(c.Source, c.Device, c.Name);
                    var dot = c.Name.IndexOf('.', StringComparison.Ordinal);
                    if (dot > 5 && int.TryParse(c.Name.AsSpan(5, dot - 5), out var queue))
                    {
                        Seen(c, c.Device, queue);
                    }
                    if (irqs > 0 && dot > 5 && int.TryParse(c.Name.AsSpan(5, dot - 5), out queue))
                    {
                        Add(into, c.Device, new HostEvent(tsNs, HostEventKind.NapiPoll, queue, -1, 0, 0, 0, (int)irqs));
                    }
                    break;
                }
                case "ethtool" when EthtoolName.TryParse(c.Name, out var q, out var baseName):
                {
                    HostEventKind? kind = baseName switch
                    {
                        "rx_pp_alloc_slow" or "rx_pp_alloc_slow_high_order" or "rx_cache_empty" => HostEventKind.Map,
                        "rx_pp_recycle_ring_full" or "rx_pp_recycle_released_ref" or "rx_cache_full" => HostEventKind.Unmap,
                        _ => null,
                    };
                    var n = kind is null ? 0 : Delta(c.Source, c.Device, c.Name);
                    if (kind is not null)
                    {
                        Seen(c, c.Device, q);
                    }
                    if (n > 0)
                    {
                        Add(into, c.Device, new HostEvent(tsNs, kind!.Value, q, -1, PageBytes, 0, 0, (int)n));
                    }
                    break;
                }
                case "dmar_perf_latency":
                {
                    var dot = c.Name.IndexOf('.', StringComparison.Ordinal);
                    var bucket = dot < 0 ? -1 : Array.IndexOf(DmarLatencyParser.ColumnNames, c.Name[(dot + 1)..]);
                    var n = bucket is >= 0 and < 7 ? Delta(c.Source, c.Device, c.Name) : 0;
                    if (bucket is >= 0 and < 7)
                    {
                        Seen(c, c.Device, -1);
                    }
                    if (n > 0)
                    {
                        Add(into, c.Device, new HostEvent(tsNs, HostEventKind.QiSubmit, -1, -1, 0, DmarLatencyParser.BucketMidNs[bucket], 0, (int)n));
                    }
                    break;
                }
                case "perf" when c.Device == "tracepoint":
                {
                    HostEventKind? kind = c.Name switch
                    {
                        "iommu:map" => HostEventKind.Map,
                        "iommu:unmap" => HostEventKind.Unmap,
                        "intel_iommu:qi_submit" => HostEventKind.QiSubmit,
                        "napi:napi_poll" => HostEventKind.NapiPoll,
                        "net:netif_receive_skb" => HostEventKind.Rx,
                        "net:net_dev_xmit" => HostEventKind.Tx,
                        _ => null,
                    };
                    if (kind is null)
                    {
                        break;
                    }
                    Seen(c, c.Device, -1);
                    var n = Delta(c.Source, c.Device, c.Name);
                    if (n > 0)
                    {
                        Add(into, c.Device, new HostEvent(tsNs, kind.Value, -1, -1, 0, 0, 0, (int)Math.Min(int.MaxValue, n)));
                    }
                    break;
                }
            }
        }
    }

    private static void Add(List<LiveEvent> into, string device, HostEvent e) => into.Add(new LiveEvent(device, e));
}
