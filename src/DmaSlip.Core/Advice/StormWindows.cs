namespace DmaSlip.Core.Advice;

/// <summary>Splits a host's time-stamped samples into those inside its storm intervals and the rest.</summary>
internal static class StormWindows
{
    /// <summary>Fewest samples on each side of a storm/calm comparison before it is reported.</summary>
    public const int MinSamples = 20;

    public static (List<double> Storm, List<double> Calm) Split(long[] ts, double[] values, IReadOnlyList<(long From, long To)> intervals)
    {
        var storm = new List<double>();
        var calm = new List<double>();
        for (var i = 0; i < ts.Length; i++)
        {
            (In(ts[i], intervals) ? storm : calm).Add(values[i]);
        }
        return (storm, calm);
    }

    public static int CountIn(long[] ts, IReadOnlyList<(long From, long To)> intervals) => ts.Count(t => In(t, intervals));

    private static bool In(long t, IReadOnlyList<(long From, long To)> intervals)
    {
        foreach (var (from, to) in intervals)
        {
            if (t >= from && t < to)
            {
                return true;
            }
        }
        return false;
    }
}
