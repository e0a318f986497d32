using DmaSlip.Core.Domain;

namespace DmaSlip.Application.Drills;

/// <summary>
/// A synthetic flush-burst frame series (100 ms windows, one queue) for drills and tests that must run without
/// the simulator. Calm operating point and storm amplitudes are stated below; the storm ramps in linearly over
/// <see cref="RampNs"/> (a flush burst builds as flush queues fill) and decays the same way.
/// </summary>
internal static class SyntheticFrames
{
    public const long WindowNs = 100 * Time.NanosPerMilli;
    public const long RampNs = 2 * Time.NanosPerSecond;

    /// <summary>Storm intensity 0–1 at <paramref name="t"/>.</summary>
    public static double Intensity(long t, long onset, long end)
    {
        if (t < onset || t >= end + RampNs)
        {
            return 0;
        }
        var up = Math.Min(1, (t - onset) / (double)RampNs);
        var down = t < end ? 1 : 1 - (t - end) / (double)RampNs;
        return Math.Clamp(Math.Min(up, down), 0, 1);
    }

    public static IReadOnlyList<HostFrame> WithStorm(string host, long start, int minutes, double stormFromMin, double stormToMin, int seed)
    {
        var rng = new Random(seed);
        var onset = start + (long)(stormFromMin * Time.NanosPerMinute);
        var end = start + (long)(stormToMin * Time.NanosPerMinute);
        var n = minutes * 600;
        var frames = new List<HostFrame>(n);
        for (var i = 0; i < n; i++)
        {
            var w = start + i * WindowNs;
            var u = Intensity(w + WindowNs, onset, end);
            var rate = Noise(rng, 1000, 50) + 30_000 * u;
            var burst = Math.Max(1, Noise(rng, 8, 1) + 120 * u);
            var dmaQ50 = Noise(rng, 2000, 100) * (1 + 0.5 * u);
            var dmaQ99 = Noise(rng, 4000, 200) + 40_000 * u;
            var invQ99 = Noise(rng, 1500, 100) + 60_000 * u;
            frames.Add(new HostFrame(host, "eth0", 0, w, WindowNs, rate, burst * 0.6, burst, burst * 1.3, rate * 4, rate * 4, null,
                invQ99 / 3, invQ99, dmaQ50, dmaQ99, 0.1 + 0.4 * u, 20 + 400 * u, 0.02 + 0.5 * u, 1.0,
                Noise(rng, 0.9, 0.08) + 2.5 * u, Noise(rng, 0.8, 0.08) + 2.0 * u, 5000));
        }
        return frames;
    }

    private static double Noise(Random rng, double mean, double sd)
    {
        // Box–Muller: a normal draw without a dependency for one line of arithmetic.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
