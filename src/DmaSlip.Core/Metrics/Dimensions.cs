namespace DmaSlip.Core.Metrics;

/// <summary>Grouping dimensions of desk metrics (DESIGN §4.5).</summary>
public enum Dimension
{
    Pool,
    Nic,
    Numa,
    Liquidity,
    Session,
}

/// <summary>The group values of one window or parent for every dimension.</summary>
public readonly record struct DimensionValues(string Pool, string Nic, string Numa, string Liquidity, string Session)
{
    public string Get(Dimension d) => d switch
    {
        Dimension.Pool => Pool,
        Dimension.Nic => Nic,
        Dimension.Numa => Numa,
        Dimension.Liquidity => Liquidity,
        _ => Session,
    };

    /// <summary>NIC dimension value: model/driver.</summary>
    public static string NicOf(string nicModel, string driver) => $"{nicModel}/{driver}";

    /// <summary>NUMA placement: "local" when the NIC and the CPUs serving it share a node, else "remote".</summary>
    public static string NumaOf(int nicNode, int cpuNode) => nicNode == cpuNode ? "local" : "remote";
}

public static class DimensionParser
{
    /// <summary>Parses "pool,nic,numa,liquidity,session" (any subset, any order, no repeats).</summary>
    public static IReadOnlyList<Dimension> Parse(string text)
    {
        var result = new List<Dimension>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<Dimension>(part, ignoreCase: true, out var d) || !Enum.IsDefined(d) || int.TryParse(part, out _))
            {
                throw new ArgumentException($"Unknown dimension '{part}'; use any of pool, nic, numa, liquidity, session.");
            }
            if (result.Contains(d))
            {
                throw new ArgumentException($"Dimension '{part}' is given twice.");
            }
            result.Add(d);
        }
        return result;
    }
}
