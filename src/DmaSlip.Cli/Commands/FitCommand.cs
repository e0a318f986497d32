using System.CommandLine;
using System.Globalization;
using DmaSlip.Application.Modeling;
using DmaSlip.Cli.Internal;
using DmaSlip.Models.Overlay;
using DmaSlip.Reports.Console;
using DmaSlip.Storage;
using Spectre.Console;

namespace DmaSlip.Cli.Commands;

/// <summary><c>dmaslip fit</c>: baseline + IOMMU overlay per host pool → models table/files and C_iommu in parent_outcomes.</summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var ifStale = new Option<bool>("--if-stale") { Description = "Refit only pools whose model is missing or stale (a host's kernel, NIC driver/version or IOMMU mode changed); reuse the others" };
        var models = new Option<string?>("--models") { Description = "Folder for model artifacts (default: models/ beside the database)" };
        var from = new Option<string?>("--from") { Description = "Apply the models in this folder (fitted elsewhere, e.g. on an earlier day) instead of fitting: held-out scoring; nothing is refit or stored" };
        var volScaling = new Option<bool>("--volatility-scaling") { Description = "Fit the overlay on the volatility-scaled residual r/s, s = (sigma + median sigma)/(2 median sigma), estimates multiplied back (docs/MODELS.md)" };
        var command = new Command("fit", "Fit the classical baseline (calm windows, per liquidity bucket) and the LightGBM IOMMU overlay (mean and q95) per host pool; write C_iommu and its dma-jitter / service-burst / queue-decay terms into parent_outcomes.")
        {
            ifStale, models, from, volScaling,
        };
        command.SetAction(parse =>
        {
            var output = new Output(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(CommonOptions.Json));
            var db = parse.GetValue(CommonOptions.Db)!;
            using var store = DmaSlipStore.Open(db);
            var dir = parse.GetValue(models) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db)) ?? ".", "models");
            var s = FitRunner.Run(store, dir, parse.GetValue(ifStale), TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, new OverlayOptions { VolatilityScaling = parse.GetValue(volScaling) }, parse.GetValue(from));
            if (output.Json)
            {
                output.WriteJson(s);
            }
            else
            {
                Print(output, s);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(Output output, FitSummary s)
    {
        static string F(double? v, string fmt = "F3") => v?.ToString(fmt, CultureInfo.InvariantCulture) ?? "–";
        var models = new Table().AddColumn("model").AddColumn("scope").AddColumn("refit").AddColumn(new TableColumn("parents").RightAligned());
        foreach (var m in s.Models)
        {
            models.AddRow(m.ModelId, m.Scope, m.Refit ? "yes" : "reused", m.Parents.ToString(CultureInfo.InvariantCulture));
        }
        output.Console.Write(ConsoleTables.Fit(models));
        output.Console.MarkupLine(CultureInfo.InvariantCulture,
            $"overlay: RMSE {F(s.Overlay.Mean.Rmse)} bps (constant {F(s.Overlay.Mean.ConstantRmse)}), q95 coverage {F(s.Overlay.Q95.Coverage)}; matching: {s.Matching.Strata} strata, matched share {s.Matching.MatchedShare:F3}, max |SMD| {s.Matching.MaxSmdBefore:F3} → {s.Matching.MaxSmd:F3}, ATT {F(s.Matching.AttBps)} bps");
        output.Console.MarkupLine(CultureInfo.InvariantCulture, $"C_iommu: {Markup.Escape(FitText.Iommu(s.CIommu))}");
        var moved = s.CIommu?.LevelCorrections.Where(c => c.AppliedBps != 0).ToList() ?? [];
        if (moved.Count > 0)
        {
            // The doubly robust level: what the scored parents' own residuals moved, per pool and strategy.
            output.Console.MarkupLine(CultureInfo.InvariantCulture, $"level from the residuals: {Markup.Escape(string.Join("; ", moved.Select(c =>
                string.Create(CultureInfo.InvariantCulture, $"{c.Pool}/{c.Strategy} {c.AppliedBps:+0.000;-0.000} bps (shift {c.ShiftBps:+0.000;-0.000} ± {c.StandardErrorBps:F3}, {c.Parents} parents)"))))}");
        }
        if (s.Truth is { } t)
        {
            output.Console.MarkupLine(CultureInfo.InvariantCulture,
                $"truth: storm mean uplift {F(t.StormTrueMeanBps)} vs model {F(t.StormModelMeanBps)} [[{F(t.StormModelIntervalBps?[0])}, {F(t.StormModelIntervalBps?[1])}]] (rel. error {F(t.MeanRelError)}), q95 coverage {F(t.Q95Coverage)}, venue-shock IOMMU share {F(t.VenueShockIommuShare)}, calm mean |C_iommu| {t.CalmMeanAbsIommuBps:F3} bps");
        }
        foreach (var st in s.Stale)
        {
            output.Console.MarkupLine($"[yellow]stale[/] {Markup.Escape(st.ModelId)}: {Markup.Escape(string.Join("; ", st.Reasons))}");
        }
    }
}
