using DmaSlip.Core.Domain;

namespace DmaSlip.Simulation.Host;

/// <summary>Truth state codes of a (queue, window).</summary>
internal static class PressureState
{
    public const byte Calm = 0;
    public const byte Pressure = 1;
    public const byte Storm = 2;

    public static string Name(byte s) => s switch { Storm => "storm", Pressure => "pressure", _ => "calm" };
}

/// <summary>Runs one host (real or calm twin) through the session and collects its timeline and truth windows.</summary>
internal static class HostRunner
{
    /// <summary>Share of a window's CPU time spent spinning on invalidations that makes it "pressure" without a storm process.</summary>
    public const double PressureSpinShare = 0.05;

    public static (HostTimeline Timeline, byte[][] Truth) Run(
        HostSetup setup, Scenario scenario, long seed, bool stormsOn, IReadOnlyList<IHostObserver> observers,
        IHostPolicySource policy, int windowMs)
    {
        var ms = (int)(scenario.SessionNs / Time.NanosPerMilli);
        var start = scenario.SessionStartNs;
        var model = new HostModel(setup, scenario.Physics, seed, stormsOn);
        var timeline = new HostTimeline(start, ms);
        var windows = (ms + windowMs - 1) / windowMs;
        var truth = new byte[setup.Queues][];
        for (var q = 0; q < truth.Length; q++)
        {
            truth[q] = new byte[windows];
        }
        var spinAcc = new double[setup.Queues];
        var dropAcc = new int[setup.Queues];
        var lastPolicy = policy.Policy;
        var lastRegime = policy.Regime;
        timeline.Policy.Add((start, lastPolicy, lastRegime));
        var observerCount = observers.Count;
        for (var m = 0; m < ms; m++)
        {
            var ts = start + m * Time.NanosPerMilli;
            model.Step(m);
            ref readonly var h = ref model.Host;
            timeline.Send[m] = DelayCode.Encode(h.SendDelayNs);
            timeline.Ingest[m] = DelayCode.Encode(h.IngestDelayNs);
            if (h.Storm)
            {
                timeline.MarkStorm(m);
            }
            var steps = model.Steps;
            int arrived = 0, dropped = 0;
            for (var q = 0; q < steps.Length; q++)
            {
                spinAcc[q] += steps[q].SpinNs;
                dropAcc[q] += steps[q].RxDropped;
                arrived += steps[q].RxArrived;
                dropped += steps[q].RxDropped;
            }
            if (dropped > 0)
            {
                timeline.SetDrop(m, HostTimeline.DropCode(dropped, arrived));
            }
            for (var o = 0; o < observerCount; o++)
            {
                observers[o].OnStep(model, m, ts);
            }
            if ((m + 1) % windowMs == 0 || m == ms - 1)
            {
                var w = m / windowMs;
                var len = m % windowMs + 1;
                for (var q = 0; q < steps.Length; q++)
                {
                    truth[q][w] = h.Storm || timeline.StormAtMs(w * windowMs)
                        ? PressureState.Storm
                        : spinAcc[q] / (len * 1e6) > PressureSpinShare || dropAcc[q] > 0 ? PressureState.Pressure : PressureState.Calm;
                    spinAcc[q] = 0;
                    dropAcc[q] = 0;
                }
                if (!policy.Policy.Equals(lastPolicy) || policy.Regime != lastRegime)
                {
                    lastPolicy = policy.Policy;
                    lastRegime = policy.Regime;
                    timeline.Policy.Add((ts + Time.NanosPerMilli, lastPolicy, lastRegime));
                }
            }
        }
        for (var o = 0; o < observerCount; o++)
        {
            observers[o].Complete(model, start + ms * Time.NanosPerMilli);
        }
        return (timeline, truth);
    }
}
