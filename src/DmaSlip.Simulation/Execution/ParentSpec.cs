using DmaSlip.Core.Domain;
using DmaSlip.Simulation.Internal;

namespace DmaSlip.Simulation.Execution;

/// <summary>A parent order as generated (shared by the real run and the twin).</summary>
internal sealed record ParentSpec(
    int Index,
    string Id,
    int Symbol,
    int Side,
    long Qty,
    long ArrivalNs,
    long DeadlineNs,
    bool Pov,
    string Urgency,
    int Host)
{
    public bool HighUrgency => Urgency == "high";
}

/// <summary>Generates the parent-order flow from its own random stream (common to the real run and the twin).</summary>
internal static class ParentFlow
{
    public static List<ParentSpec> Generate(Scenario scenario, long seed, int symbols, int hosts)
    {
        var ex = scenario.Execution;
        var rng = Rng.Create(seed, RngStream.Parents);
        var start = scenario.SessionStartNs;
        var end = scenario.SessionEndNs;
        var minDur = (long)(ex.MinDurationSeconds * Time.NanosPerSecond);
        var maxDur = (long)(ex.MaxDurationSeconds * Time.NanosPerSecond);
        var latestArrival = Math.Max(start + 1, end - minDur);
        var lot = scenario.Market.LotSize;
        var arrivals = new long[ex.Parents];
        for (var i = 0; i < arrivals.Length; i++)
        {
            arrivals[i] = start + (long)(rng.NextDouble() * (latestArrival - start));
        }
        Array.Sort(arrivals);
        // Ids carry the session date, so days simulated with different --date values can share one database.
        var day = DateTimeOffset.FromUnixTimeMilliseconds(start / Time.NanosPerMilli).UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var list = new List<ParentSpec>(ex.Parents);
        for (var i = 0; i < arrivals.Length; i++)
        {
            var a = arrivals[i];
            var dur = minDur + (long)(rng.NextDouble() * (maxDur - minDur));
            var deadline = Math.Min(a + dur, end);
            var logQty = Math.Log(ex.MinQty) + rng.NextDouble() * (Math.Log(ex.MaxQty) - Math.Log(ex.MinQty));
            var qty = Math.Max(lot, (long)Math.Round(Math.Exp(logQty) / lot) * lot);
            var side = rng.NextDouble() < 0.5 ? 1 : -1;
            var pov = rng.NextDouble() < ex.PovShare;
            var uu = rng.NextDouble();
            var urgency = uu < ex.HighUrgencyShare ? "high" : uu < ex.HighUrgencyShare + (1 - ex.HighUrgencyShare) / 2 ? "medium" : "low";
            var symbol = rng.NextInt(symbols);
            var host = rng.NextInt(hosts);
            list.Add(new ParentSpec(i, $"P{day}-{i + 1:D6}", symbol, side, qty, a, deadline, pov, urgency, host));
        }
        return list;
    }
}
