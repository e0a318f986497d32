using DmaSlip.Core.Advice;
using DmaSlip.Core.Attribution;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Tests.Advice;

/// <summary>
/// The worked example of docs/CONTROLLER.md "Advice": pool A with a churning storm host a1 and a calm host a2, pool B
/// with an unreviewed passthrough host b1; 8 parents in A (2 under pressure at 30 bps, 6 calm at 10 bps).
/// </summary>
internal static class AdviceScenario
{
    private static readonly (long, long)[] A1Storm = [(1000, 2000)];

    public static HostFacts Host(string host, string pool, IommuMode mode, double unmap, int storms, double stormShare,
        (long, long)[] intervals, string? review = "SEC-1", int nicNuma = 0, int cpuNuma = 0, int fingerprints = 1) =>
        new(host, pool, mode, nicNuma, cpuNuma, fingerprints, 0, review, 1000, unmap, unmap, unmap / 10, 1.0, 1.2, storms, stormShare, intervals);

    public static AdviceInputs Inputs()
    {
        var hosts = new[]
        {
            Host("a1", "A", IommuMode.Strict, 5000, 3, 0.2, A1Storm),
            Host("a2", "A", IommuMode.Strict, 1000, 0, 0, []),
            Host("b1", "B", IommuMode.Passthrough, 0, 0, 0, [], review: null),
        };
        var parents = new List<ParentFacts>();
        parents.Add(new("p1", "a1", "A", 30, null, PressureBucket.Storm, "high"));
        parents.Add(new("p2", "a1", "A", 30, null, PressureBucket.Storm, "high"));
        parents.Add(new("p3", "a1", "A", 10, null, PressureBucket.Calm, "normal"));
        parents.Add(new("p4", "a1", "A", 10, null, PressureBucket.Calm, "normal"));
        for (var i = 0; i < 4; i++)
        {
            parents.Add(new($"q{i}", "a2", "A", 10, null, PressureBucket.Calm, "normal"));
        }
        // Round trips on a1: 100 calm sends at 10 µs; 100 storm sends at 10 µs but two at 100 µs.
        var ts = new List<long>();
        var rtt = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            ts.Add(100 + i);
            rtt.Add(10_000);
        }
        for (var i = 0; i < 100; i++)
        {
            ts.Add(1000 + i);
            rtt.Add(i < 2 ? 100_000 : 10_000);
        }
        var sends = Enumerable.Range(0, 40).Select(i => 100L + i).Concat(Enumerable.Range(0, 40).Select(i => 1000L + i)).ToArray();
        var retries = Enumerable.Range(0, 4).Select(i => 200L + i).Concat(Enumerable.Range(0, 20).Select(i => 1100L + i)).ToArray();
        return new AdviceInputs(hosts, parents,
            new Dictionary<string, (long[], double[])> { ["a1"] = (ts.ToArray(), rtt.ToArray()) },
            new Dictionary<string, (long[], long[])> { ["a1"] = (sends, retries) }, null);
    }
}
