namespace DmaSlip.Core.Domain;

/// <summary>Stable text names of enums as stored and printed (snake case), and their parsers.</summary>
public static partial class EnumText
{
    public static string Name(this IommuMode m) => m switch
    {
        IommuMode.Strict => "strict",
        IommuMode.Lazy => "lazy",
        _ => "passthrough",
    };

    public static bool TryParseIommuMode(string? s, out IommuMode mode)
    {
        switch (s?.Trim().ToLowerInvariant())
        {
            case "strict" or "dma": mode = IommuMode.Strict; return true;
            case "lazy" or "dma-fq" or "dma_fq": mode = IommuMode.Lazy; return true;
            case "passthrough" or "pt" or "identity": mode = IommuMode.Passthrough; return true;
            default: mode = IommuMode.Strict; return false;
        }
    }

    public static string Name(this HostEventKind k) => k switch
    {
        HostEventKind.Map => "map",
        HostEventKind.Unmap => "unmap",
        HostEventKind.Flush => "flush",
        HostEventKind.QiSubmit => "qi_submit",
        HostEventKind.PageFault => "page_fault",
        HostEventKind.NapiPoll => "napi_poll",
        HostEventKind.Rx => "rx",
        HostEventKind.Tx => "tx",
        HostEventKind.DmaComplete => "dma_complete",
        HostEventKind.RingOccupancy => "ring_occupancy",
        _ => "buffer_placement",
    };

    public static bool TryParseHostEventKind(string? s, out HostEventKind k)
    {
        for (var i = HostEventKind.Map; i <= HostEventKind.BufferPlacement; i++)
        {
            if (string.Equals(i.Name(), s, StringComparison.Ordinal))
            {
                k = i;
                return true;
            }
        }
        k = HostEventKind.Map;
        return false;
    }

    public static string Name(this OrderEventKind k) => k switch
    {
        OrderEventKind.Decision => "decision",
        OrderEventKind.Send => "send",
        OrderEventKind.Ack => "ack",
        OrderEventKind.Replace => "replace",
        OrderEventKind.ReplaceAck => "replace_ack",
        OrderEventKind.Cancel => "cancel",
        OrderEventKind.CancelAck => "cancel_ack",
        OrderEventKind.Fill => "fill",
        OrderEventKind.Reject => "reject",
        _ => "expire",
    };

    public static bool TryParseOrderEventKind(string? s, out OrderEventKind k)
    {
        for (var i = OrderEventKind.Decision; i <= OrderEventKind.Expire; i++)
        {
            if (string.Equals(i.Name(), s, StringComparison.Ordinal))
            {
                k = i;
                return true;
            }
        }
        k = OrderEventKind.Decision;
        return false;
    }

    public static string Name(this Liquidity l) => l switch
    {
        Liquidity.Passive => "passive",
        Liquidity.Aggressive => "aggressive",
        _ => "unknown",
    };

    public static Liquidity ParseLiquidity(string? s) => s switch
    {
        "passive" => Liquidity.Passive,
        "aggressive" => Liquidity.Aggressive,
        _ => Liquidity.Unknown,
    };
}
