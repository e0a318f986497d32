using System.Globalization;
using DmaSlip.Core.Domain;

namespace DmaSlip.Core.Control;

public sealed partial record RegimeControllerConfig
{
    /// <summary>
    /// Every rule the config breaks, as "field: problem" lines (empty when valid). Field names are the JSON names of
    /// <see cref="RegimeControllerConfigJson"/> so a user can find them in the file.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new List<string>();
        CheckSignals(e, "watch.enter", WatchEnter);
        CheckSignals(e, "watch.exit", WatchExit);
        CheckSignals(e, "storm.enter", StormEnter);
        CheckSignals(e, "storm.exit", StormExit);
        CheckHysteresis(e, "watch", WatchEnter, WatchExit);
        CheckHysteresis(e, "storm", StormEnter, StormExit);

        // The storm state is the more severe one: its enter level may not sit below the watch enter level, or the
        // storm edge would fire on signals that do not even call for a watch.
        CheckOrder(e, "storm.enter.dfi", StormEnter.Dfi, "watch.enter.dfi", WatchEnter.Dfi);
        CheckOrder(e, "storm.enter.djs", StormEnter.Djs, "watch.enter.djs", WatchEnter.Djs);
        CheckOrder(e, "storm.enter.pso", StormEnter.Pso, "watch.enter.pso", WatchEnter.Pso);

        if (ContainEnter.StormRecurrence < 1)
        {
            e.Add(F($"contain.enter.storm_recurrence: must be at least 1 (got {ContainEnter.StormRecurrence})"));
        }
        if (ContainExit.StormRecurrence < 1)
        {
            e.Add(F($"contain.exit.storm_recurrence: must be at least 1 (got {ContainExit.StormRecurrence})"));
        }
        if (ContainExit.StormRecurrence > ContainEnter.StormRecurrence)
        {
            e.Add(F($"contain.exit.storm_recurrence ({ContainExit.StormRecurrence}) must not be above contain.enter.storm_recurrence ({ContainEnter.StormRecurrence})"));
        }
        CheckUnit(e, "contain.enter.deadline_pressure", ContainEnter.DeadlinePressure);
        CheckUnit(e, "contain.exit.deadline_pressure", ContainExit.DeadlinePressure);
        if (ContainEnter.DeadlinePressure <= ContainExit.DeadlinePressure)
        {
            e.Add(F($"contain.enter.deadline_pressure ({ContainEnter.DeadlinePressure}) must be above contain.exit.deadline_pressure ({ContainExit.DeadlinePressure})"));
        }

        CheckDuration(e, "watch.confirm_ms", WatchConfirmNs, allowZero: true);
        CheckDuration(e, "storm.confirm_ms", StormConfirmNs, allowZero: true);
        CheckDuration(e, "storm.dfi_only_confirm_ms", StormDfiOnlyConfirmNs, allowZero: true);
        if (StormDfiOnlyConfirmNs < StormConfirmNs)
        {
            e.Add(F($"storm.dfi_only_confirm_ms ({StormDfiOnlyConfirmNs / 1e6}) must not be below storm.confirm_ms ({StormConfirmNs / 1e6}): uncorroborated DFI needs at least as long"));
        }
        CheckDuration(e, "contain.confirm_ms", ContainConfirmNs, allowZero: true);
        CheckDuration(e, "watch.dwell_ms", WatchDwellNs, allowZero: true);
        CheckDuration(e, "storm.dwell_ms", StormDwellNs, allowZero: true);
        CheckDuration(e, "contain.dwell_ms", ContainDwellNs, allowZero: true);
        CheckDuration(e, "recurrence_window_ms", RecurrenceWindowNs, allowZero: false);

        CheckPolicy(e, "policies.map_stable", MapStablePolicy);
        CheckPolicy(e, "policies.pressure_watch", PressureWatchPolicy);
        CheckPolicy(e, "policies.flush_storm", FlushStormPolicy);
        CheckPolicy(e, "policies.safe_dma_contain", SafeDmaContainPolicy);
        return e;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static void CheckSignals(List<string> e, string path, SignalThresholds t)
    {
        CheckNonNegative(e, path + ".dfi", t.Dfi);
        CheckNonNegative(e, path + ".djs", t.Djs);
        CheckNonNegative(e, path + ".pso", t.Pso);
        if (t.Dfi > 100)
        {
            e.Add(F($"{path}.dfi: DFI is a 0-100 score, {t.Dfi} can never be reached"));
        }
    }

    private static void CheckNonNegative(List<string> e, string path, double v)
    {
        if (!double.IsFinite(v) || v < 0)
        {
            e.Add(F($"{path}: must be a finite number >= 0 (got {v})"));
        }
    }

    private static void CheckHysteresis(List<string> e, string edge, SignalThresholds enter, SignalThresholds exit)
    {
        Check(".dfi", enter.Dfi, exit.Dfi);
        Check(".djs", enter.Djs, exit.Djs);
        Check(".pso", enter.Pso, exit.Pso);

        void Check(string field, double en, double ex)
        {
            if (!(en > ex))
            {
                e.Add(F($"{edge}.enter{field} ({en}) must be above {edge}.exit{field} ({ex}): enter above exit is the hysteresis band"));
            }
        }
    }

    private static void CheckOrder(List<string> e, string hiPath, double hi, string loPath, double lo)
    {
        if (hi < lo)
        {
            e.Add(F($"{hiPath} ({hi}) must not be below {loPath} ({lo})"));
        }
    }

    private static void CheckUnit(List<string> e, string path, double v)
    {
        if (!(v >= 0 && v <= 1))
        {
            e.Add(F($"{path}: must be within [0, 1] (got {v})"));
        }
    }

    private static void CheckDuration(List<string> e, string path, long ns, bool allowZero)
    {
        if (ns < 0 || (!allowZero && ns == 0))
        {
            e.Add(F($"{path}: must be {(allowZero ? ">= 0" : "> 0")} (got {ns / (double)Time.NanosPerMilli} ms)"));
        }
    }

    private static void CheckPolicy(List<string> e, string path, ExecutionPolicy p)
    {
        if (double.IsNaN(p.ReplaceRateCapPerSecond) || p.ReplaceRateCapPerSecond <= 0)
        {
            e.Add(F($"{path}.replace_rate_cap_per_s: must be > 0 or null for no cap (got {p.ReplaceRateCapPerSecond})"));
        }
        if (!double.IsFinite(p.PacingFactor) || p.PacingFactor <= 0)
        {
            e.Add(F($"{path}.pacing_factor: must be a finite number > 0 (got {p.PacingFactor})"));
        }
        if (p.MaxChildBurst < 1)
        {
            e.Add(F($"{path}.max_child_burst: must be at least 1 (got {p.MaxChildBurst})"));
        }
        if (p.MinSpacingNs < 0)
        {
            e.Add(F($"{path}.min_spacing_us: must be >= 0 (got {p.MinSpacingNs / (double)Time.NanosPerMicro})"));
        }
        if (!Enum.IsDefined(p.CatchUpMode) || !Enum.IsDefined(p.Routing) || !Enum.IsDefined(p.Completion))
        {
            e.Add(F($"{path}: catch_up, routing or completion is not a known value"));
        }
    }
}
